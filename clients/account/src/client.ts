// The generated client (clients/typescript, never edited by hand), compiled into the console
// from its source: it has no runtime dependencies.
export * from "../../typescript/src/index.js";
