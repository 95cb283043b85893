import { createContext, useContext } from "react";

/** The tenant settings read from config.json at start. */
export const ConfigContext = createContext(null);

export function useConfig() {
  return useContext(ConfigContext);
}

/** Turns a list of names into SelectInput choices. */
export function choicesOf(names) {
  return (names ?? []).map((name) => ({ id: name, name }));
}
