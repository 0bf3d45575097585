// The client's passkey helpers (clients/typescript/src/webauthn.ts, its `./webauthn` entry
// point), compiled into the console from their source like the client itself.
export * from "../../typescript/src/webauthn.js";
