// Where the generated client sends its requests, without a server: a fetch that records the URL.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PasetoAuthClient, type Http } from "../src/index.js";

function recordingHttp(urls: string[]): Http {
    return {
        fetch(url: RequestInfo): Promise<Response> {
            urls.push(String(url));
            return Promise.resolve(new Response(JSON.stringify({ keys: [] }), { status: 200, headers: { "Content-Type": "application/json" } }));
        },
    };
}

describe("the base URL", () => {
    it("is, by default, the host the page came from: the document's server, /", async () => {
        const urls: string[] = [];

        await new PasetoAuthClient(undefined, recordingHttp(urls)).getKeys();

        // Not "//v1/keys", which a browser would send to a host named "v1".
        assert.deepEqual(urls, ["/v1/keys"]);
    });

    it("is the one given, with or without a trailing slash", async () => {
        const urls: string[] = [];

        await new PasetoAuthClient("https://auth.example.com", recordingHttp(urls)).getKeys();
        await new PasetoAuthClient("https://auth.example.com/", recordingHttp(urls)).getKeys();

        assert.deepEqual(urls, ["https://auth.example.com/v1/keys", "https://auth.example.com/v1/keys"]);
    });
});
