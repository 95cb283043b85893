// A react-admin dataProvider for the Omnium Cases API: search is a POST with
// a JSON body, pages are zero-based, updates are PATCHes of the changed fields.
import { HttpError } from "react-admin";

const SORT_FIELDS = {
  created: "Created",
  changed: "Changed",
  status: "Status",
  priority: "Priority",
  subject: "Subject",
  customerName: "CustomerName",
  assignedToName: "AssignedToName",
  followUpDate: "FollowUpDate",
};

/** Turns react-admin's sort into an Omnium sort order such as "ChangedDescending". */
export function sortOrderOf(sort) {
  const field = SORT_FIELDS[sort?.field] ?? "Changed";
  return field + (sort?.order === "ASC" ? "Ascending" : "Descending");
}

/** Returns the fields of `data` that differ from `previous`, with the case id. */
export function patchOf(id, data, previous) {
  const patch = { id };
  for (const [key, value] of Object.entries(data)) {
    if (JSON.stringify(value) !== JSON.stringify(previous?.[key])) {
      patch[key] = value;
    }
  }
  return patch;
}

// Converts an RFC 7807 validation problem ({errors: {field: [messages]}})
// into the {errors: {field: message}} body react-admin shows on the form.
function toFormErrors(body) {
  if (!body?.errors) {
    return body;
  }

  const errors = {};
  for (const [field, messages] of Object.entries(body.errors)) {
    const key = field.charAt(0).toLowerCase() + field.slice(1);
    errors[key] = Array.isArray(messages) ? messages.join(" ") : String(messages);
  }
  return { ...body, errors };
}

export function createDataProvider(apiBaseUrl, getToken) {
  async function request(method, path, body) {
    const headers = new Headers({ Accept: "application/json" });
    const token = getToken();
    if (token) {
      headers.set("Authorization", `Bearer ${token}`);
    }
    if (body !== undefined) {
      headers.set("Content-Type", "application/json");
    }

    const response = await fetch(apiBaseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }

    if (!response.ok) {
      const message = json?.title ?? json?.detail ?? `The Omnium API request failed with HTTP ${response.status}.`;
      throw new HttpError(message, response.status, toFormErrors(json));
    }
    return json;
  }

  const casePath = (id) => `/api/cases/${encodeURIComponent(id)}`;

  async function search(params, extra = {}) {
    const { page, perPage } = params.pagination ?? { page: 1, perPage: 20 };
    const filter = params.filter ?? {};
    const result = await request("POST", "/api/cases/search", {
      searchText: filter.q || undefined,
      status: filter.status || undefined,
      priority: filter.priority || undefined,
      assignedToUserId: filter.assignedToUserId || undefined,
      tags: filter.tags ? [filter.tags] : undefined,
      sortOrder: sortOrderOf(params.sort),
      page: page - 1,
      take: perPage,
      ...extra,
    });
    return { data: result?.result ?? [], total: result?.totalHits ?? 0 };
  }

  return {
    getList: (resource, params) => search(params),

    getOne: async (resource, params) => ({ data: await request("GET", casePath(params.id)) }),

    getMany: async (resource, params) => ({
      data: await Promise.all(params.ids.map((id) => request("GET", casePath(id)))),
    }),

    getManyReference: (resource, params) => search(params, { [params.target]: params.id }),

    create: async (resource, params) => ({ data: await request("POST", "/api/cases", params.data) }),

    update: async (resource, params) => ({
      data: await request("PATCH", "/api/cases", patchOf(params.id, params.data, params.previousData)),
    }),

    updateMany: async (resource, params) => {
      await Promise.all(params.ids.map((id) => request("PATCH", "/api/cases", { id, ...params.data })));
      return { data: params.ids };
    },

    delete: async (resource, params) => {
      await request("DELETE", casePath(params.id));
      return { data: params.previousData ?? { id: params.id } };
    },

    deleteMany: async (resource, params) => {
      await Promise.all(params.ids.map((id) => request("DELETE", casePath(id))));
      return { data: params.ids };
    },
  };
}
