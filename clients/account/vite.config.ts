// Builds the console into dist/, which the API serves at /account (src/Api copies it beside its
// binaries). Hashed file names under assets/ let the API cache them for a year; index.html is
// served with no-store. Nothing inline: the page's policy allows scripts and styles only from
// the service itself.
import { defineConfig } from "vite";

export default defineConfig({
    base: "/account/",
    build: {
        outDir: "dist",
        emptyOutDir: true,
        assetsDir: "assets",
        // Everything as files: an inlined asset would be a data: URL the policy does not allow.
        assetsInlineLimit: 0,
        modulePreload: { polyfill: false },
        sourcemap: false,
        target: "es2022",
    },
});
