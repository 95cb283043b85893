// An authProvider for a pasted Omnium access token (a JWT). The token is kept
// in memory only, so after a reload the agent signs in again.

const ROLE_CLAIMS = ["role", "roles", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"];

let currentToken = null;

/** Returns the token the agent signed in with, or null. */
export function getToken() {
  return currentToken;
}

/** Decodes a JWT's payload, or returns null when the token is not a JWT. */
export function decodeClaims(token) {
  const parts = token.split(".");
  if (parts.length !== 3) {
    return null;
  }

  try {
    const base64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
    const json = decodeURIComponent(
      Array.from(atob(base64), (char) => "%" + char.charCodeAt(0).toString(16).padStart(2, "0")).join(""),
    );
    return JSON.parse(json);
  } catch {
    return null;
  }
}

function rolesOf(claims) {
  return ROLE_CLAIMS.flatMap((name) => {
    const value = claims?.[name];
    if (value === undefined) {
      return [];
    }
    return Array.isArray(value) ? value : [value];
  });
}

export const authProvider = {
  async login({ token }) {
    const trimmed = (token ?? "").trim();
    if (trimmed === "") {
      throw new Error("Paste an access token first.");
    }

    const claims = decodeClaims(trimmed);
    if (claims?.exp && claims.exp * 1000 < Date.now()) {
      throw new Error("This token has expired. Ask for a new one.");
    }

    currentToken = trimmed;
  },

  async logout() {
    currentToken = null;
  },

  async checkAuth() {
    if (currentToken === null) {
      throw new Error("Sign in with an access token.");
    }
  },

  async checkError(error) {
    if (error?.status === 401) {
      currentToken = null;
      throw new Error("Your session has ended. Sign in again.");
    }
  },

  async getIdentity() {
    const claims = currentToken ? decodeClaims(currentToken) : null;
    return {
      id: claims?.sub ?? "unknown",
      fullName: claims?.name ?? claims?.unique_name ?? "Signed-in agent",
    };
  },

  async getPermissions() {
    const claims = currentToken ? decodeClaims(currentToken) : null;
    const roles = rolesOf(claims);
    const isAdmin = roles.some((role) => ["CaseAdmin", "ApiOwner"].includes(role));
    return { roles, isAdmin };
  },
};
