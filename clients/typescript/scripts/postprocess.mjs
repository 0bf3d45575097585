// Finishes NSwag's output (src/client.ts) where its Fetch template cannot be configured: run by
// scripts/generate-client.sh on every generation, so --check compares the finished file.
//   node postprocess.mjs CLIENT_TS
// - The default transport is globalThis's fetch, not `window`'s: Node 20 and workers have no window.
// - An ApiException's message is the problem's `detail` when the answer is a problem (RFC 9457),
//   so `catch (e) { show(e.message) }` shows what the service said, not just the status's name.
// Each replacement must match exactly once, so a change in NSwag's output fails loudly.
import { readFileSync, writeFileSync } from "node:fs";

const [file] = process.argv.slice(2);
let text = readFileSync(file, "utf8");

function replaceOnce(pattern, replacement, what) {
    const count = text.split(pattern).length - 1;
    if (count === 0) {
        throw new Error(`postprocess: ${what} not found in ${file}`);
    }
    text = text.split(pattern).join(replacement);
}

replaceOnce("this.http = http ? http : window as any;", "this.http = http ? http : globalThis as any;", "the window fallback");
replaceOnce(
    `function throwException(message: string, status: number, response: string, headers: { [key: string]: any; }, result?: any): any {
    throw new ApiException(message, status, response, headers, result);
}`,
    `function throwException(message: string, status: number, response: string, headers: { [key: string]: any; }, result?: any): any {
    throw new ApiException(problemDetail(response) ?? message, status, response, headers, result);
}

/** The \`detail\` of an RFC 9457 problem answer, if the answer is one. */
function problemDetail(response: string): string | undefined {
    try {
        const problem = JSON.parse(response);
        return typeof problem?.detail === "string" && problem.detail.length > 0 ? problem.detail : undefined;
    } catch {
        return undefined;
    }
}`,
    "throwException");
writeFileSync(file, text);
