import { useState } from "react";
import { Button, CircularProgress, TextField } from "@mui/material";
import { Login, useLogin, useNotify } from "react-admin";

// The sign-in page: the agent pastes an Omnium access token.
function TokenForm() {
  const login = useLogin();
  const notify = useNotify();
  const [token, setToken] = useState("");
  const [pending, setPending] = useState(false);

  async function submit(event) {
    event.preventDefault();
    setPending(true);
    try {
      await login({ token });
    } catch (error) {
      notify(error?.message ?? "Sign-in failed.", { type: "error" });
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} style={{ padding: "0 1em 1em" }}>
      <TextField
        label="Access token"
        value={token}
        onChange={(event) => setToken(event.target.value)}
        multiline
        minRows={4}
        fullWidth
        autoFocus
        required
      />
      <Button type="submit" variant="contained" fullWidth disabled={pending} sx={{ mt: 2 }}>
        {pending ? <CircularProgress size={19} thickness={3} /> : "Sign in"}
      </Button>
    </form>
  );
}

export function LoginPage() {
  return (
    <Login>
      <TokenForm />
    </Login>
  );
}
