import { createContext, useContext } from "react";

/**
 * This response's CSP nonce (server/security-headers.ts): the server renders it on every inline and module script
 * Remix writes. Browsers hide a nonce from the DOM, so on the client it is "", which React does not compare.
 */
export const NonceContext = createContext("");

export const useNonce = () => useContext(NonceContext);
