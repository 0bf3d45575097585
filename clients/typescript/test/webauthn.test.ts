// The passkey helpers (src/webauthn.ts) in plain Node, with credential objects made here the way a
// browser shapes them: base64url both ways, the options turned into what navigator.credentials
// takes (by the browser's parser when there is one, by ours when not), and the browser's answer
// turned into WebAuthn L3's JSON. The browser's own path runs in the console's Chromium tests.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import {
    createPasskey, credentialToJSON, creationOptionsFromJSON, fromBase64Url, getPasskey, isConditionalMediationAvailable,
    isWebAuthnAvailable, passkeyError, requestOptionsFromJSON, startConditionalSignIn, toBase64Url,
    type CreationOptionsJSON, type RequestOptionsJSON, type WebAuthnPlatform,
} from "../src/webauthn.js";

const bytes = (buffer: ArrayBuffer | BufferSource | undefined): number[] => {
    assert.ok(buffer instanceof ArrayBuffer, "an ArrayBuffer");
    return [...new Uint8Array(buffer)];
};
const buffer = (...values: number[]): ArrayBuffer => new Uint8Array(values).buffer;
const b64 = (values: number[]): string => Buffer.from(values).toString("base64url");

describe("base64url", () => {
    it("encodes as RFC 4648 §10's vectors, without padding", () => {
        const vectors: [string, string][] = [["", ""], ["f", "Zg"], ["fo", "Zm8"], ["foo", "Zm9v"], ["foob", "Zm9vYg"], ["fooba", "Zm9vYmE"], ["foobar", "Zm9vYmFy"]];
        for (const [text, encoded] of vectors) {
            assert.equal(toBase64Url(new TextEncoder().encode(text)), encoded);
            assert.equal(new TextDecoder().decode(fromBase64Url(encoded)), text);
        }
    });

    it("round-trips every length and byte value, as Node's own codec does", () => {
        for (let length = 0; length <= 70; length += 1) {
            const data = randomBytes(length);
            const encoded = toBase64Url(data);
            assert.equal(encoded, data.toString("base64url"));
            assert.deepEqual(Buffer.from(fromBase64Url(encoded)), data);
        }
        const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
        assert.equal(toBase64Url(all), all.toString("base64url"), "the alphabet's - and _");
        // A view into a larger buffer encodes only its own bytes.
        assert.equal(toBase64Url(new Uint8Array(all.buffer, all.byteOffset + 250, 3)), Buffer.from([250, 251, 252]).toString("base64url"));
    });

    it("takes padding, and refuses what is not base64url", () => {
        assert.deepEqual(bytes(fromBase64Url("Zg==")), [0x66]);
        assert.deepEqual(bytes(fromBase64Url("Zm8=")), [0x66, 0x6f]);
        for (const bad of ["Zm9v+A", "Zm9v/A", "Zm 9v", "Zm9v\n", "Z", "Zm9vY", "Zh", "Zm9=", "Zg=", "é", "\ud800\udc00", "\ud800", "Zm9v%3D"]) {
            assert.throws(() => fromBase64Url(bad), TypeError, JSON.stringify(bad));
        }
    });
});

const creation: CreationOptionsJSON = {
    rp: { id: "localhost", name: "Paseto.Auth" },
    user: { id: b64([9, 8, 7]), name: "ana", displayName: "Ana" },
    challenge: b64([1, 2, 3, 4]),
    pubKeyCredParams: [{ type: "public-key", alg: -7 }, { type: "public-key", alg: -257 }],
    timeout: 300000,
    excludeCredentials: [{ id: b64([5, 5]), type: "public-key", transports: ["internal"] }],
    authenticatorSelection: { residentKey: "preferred", userVerification: "required" },
    attestation: "none",
    extensions: { credProps: true, prf: { eval: { first: b64([7]) } } },
};

const request: RequestOptionsJSON = {
    challenge: b64([4, 3, 2, 1]),
    rpId: "localhost",
    timeout: 300000,
    allowCredentials: [{ id: b64([6, 6, 6]), type: "public-key" }],
    userVerification: "required",
};

/** What a server's serializer may write for options it leaves out. */
function withNulls<T extends object>(options: T): T {
    return { ...options, hints: null, extensions: { ...(options as { extensions?: object }).extensions, largeBlob: null } } as T;
}

describe("options from JSON", () => {
    it("turns the creation options' base64url into bytes when the browser has no parser, leaving the rest", () => {
        const options = creationOptionsFromJSON(withNulls(creation), { credentials: unusedCredentials });
        assert.deepEqual(bytes(options.challenge), [1, 2, 3, 4]);
        assert.deepEqual(bytes(options.user.id), [9, 8, 7]);
        assert.equal(options.user.name, "ana");
        assert.equal(options.user.displayName, "Ana");
        assert.deepEqual(options.rp, { id: "localhost", name: "Paseto.Auth" });
        assert.deepEqual(options.pubKeyCredParams, creation.pubKeyCredParams);
        assert.equal(options.excludeCredentials?.length, 1);
        assert.deepEqual(bytes(options.excludeCredentials?.[0]?.id), [5, 5]);
        assert.deepEqual(options.excludeCredentials?.[0]?.transports, ["internal"]);
        assert.deepEqual(options.authenticatorSelection, creation.authenticatorSelection);
        assert.equal(options.attestation, "none");
        assert.equal(options.timeout, 300000);
        assert.equal(options.extensions?.credProps, true);
        assert.deepEqual(bytes(options.extensions?.prf?.eval?.first), [7]);
        assert.ok(!("hints" in options) && !("largeBlob" in (options.extensions ?? {})), "nulls are left out, not passed on");
    });

    it("turns the sign-in options' base64url into bytes when the browser has no parser", () => {
        const options = requestOptionsFromJSON(withNulls(request), { credentials: unusedCredentials });
        assert.deepEqual(bytes(options.challenge), [4, 3, 2, 1]);
        assert.deepEqual(bytes(options.allowCredentials?.[0]?.id), [6, 6, 6]);
        assert.equal(options.rpId, "localhost");
        assert.equal(options.userVerification, "required");
        assert.ok(!("hints" in options));
        // Discoverable credentials: no list at all, not an empty one made up.
        const { allowCredentials: _, ...discoverable } = request;
        assert.ok(!("allowCredentials" in requestOptionsFromJSON(discoverable, { credentials: unusedCredentials })));
    });

    it("gives the browser's parser the options without their nulls, and returns what it made", () => {
        const seen: unknown[] = [];
        const made = { marker: "made by the browser" };
        const platform: WebAuthnPlatform = {
            credentials: unusedCredentials,
            PublicKeyCredential: {
                parseCreationOptionsFromJSON(options: never) { seen.push(options); return made as never; },
                parseRequestOptionsFromJSON(options: never) { seen.push(options); return made as never; },
            },
        };
        assert.equal(creationOptionsFromJSON(withNulls(creation), platform), made);
        assert.equal(requestOptionsFromJSON(withNulls(request), platform), made);
        assert.deepEqual(seen, [{ ...creation, extensions: creation.extensions }, { ...request, extensions: {} }]);
    });

    it("refuses options whose bytes are not base64url", () => {
        assert.throws(() => creationOptionsFromJSON({ ...creation, challenge: "AQID+A==" }, { credentials: unusedCredentials }), TypeError);
        assert.throws(() => requestOptionsFromJSON({ ...request, allowCredentials: [{ id: "a b", type: "public-key" }] }, { credentials: unusedCredentials }), TypeError);
    });
});

const unusedCredentials: WebAuthnPlatform["credentials"] = {
    create: () => Promise.reject(new Error("not expected")),
    get: () => Promise.reject(new Error("not expected")),
};

/** A new passkey as Chromium without toJSON shapes it: an AuthenticatorAttestationResponse and its methods. */
function attestation(): PublicKeyCredential {
    return {
        id: b64([1, 1, 1, 1]),
        rawId: buffer(1, 1, 1, 1),
        type: "public-key",
        authenticatorAttachment: "platform",
        response: {
            clientDataJSON: buffer(123, 125),
            attestationObject: buffer(0xa3, 1, 2),
            getAuthenticatorData: () => buffer(0x49, 0x96),
            getTransports: () => ["internal", "hybrid"],
            getPublicKey: () => buffer(0x30, 0x59),
            getPublicKeyAlgorithm: () => -7,
        },
        getClientExtensionResults: () => ({ credProps: { rk: true } }),
    } as unknown as PublicKeyCredential;
}

/** A signed challenge: an AuthenticatorAssertionResponse, with or without a user handle. */
function assertion(userHandle: ArrayBuffer | null, extensions: object = {}): PublicKeyCredential {
    return {
        id: b64([2, 2]),
        rawId: buffer(2, 2),
        type: "public-key",
        authenticatorAttachment: null,
        response: {
            clientDataJSON: buffer(123, 34, 125),
            authenticatorData: buffer(0x49, 0x96, 0x0d, 0xe5),
            signature: buffer(0x30, 0x45, 0x02),
            userHandle,
        },
        getClientExtensionResults: () => extensions,
    } as unknown as PublicKeyCredential;
}

describe("the browser's answer as JSON", () => {
    it("writes a new passkey as WebAuthn L3's RegistrationResponseJSON", () => {
        assert.deepEqual(credentialToJSON(attestation()), {
            id: b64([1, 1, 1, 1]),
            rawId: b64([1, 1, 1, 1]),
            type: "public-key",
            authenticatorAttachment: "platform",
            clientExtensionResults: { credProps: { rk: true } },
            response: {
                clientDataJSON: b64([123, 125]),
                attestationObject: b64([0xa3, 1, 2]),
                authenticatorData: b64([0x49, 0x96]),
                transports: ["internal", "hybrid"],
                publicKey: b64([0x30, 0x59]),
                publicKeyAlgorithm: -7,
            },
        });
    });

    it("writes a signed challenge as AuthenticationResponseJSON, the user handle only when there is one", () => {
        assert.deepEqual(credentialToJSON(assertion(buffer(42, 43))), {
            id: b64([2, 2]),
            rawId: b64([2, 2]),
            type: "public-key",
            clientExtensionResults: {},
            response: {
                clientDataJSON: b64([123, 34, 125]),
                authenticatorData: b64([0x49, 0x96, 0x0d, 0xe5]),
                signature: b64([0x30, 0x45, 0x02]),
                userHandle: b64([42, 43]),
            },
        });
        const without = credentialToJSON(assertion(null));
        assert.ok(!("userHandle" in without.response), "no user handle: left out, not null");
        assert.ok(!("authenticatorAttachment" in without), "an attachment of null is left out");
    });

    it("writes extension outputs' bytes as base64url", () => {
        const json = credentialToJSON(assertion(null, { prf: { enabled: true, results: { first: buffer(1, 2, 3), second: new Uint8Array([4]) } } }));
        assert.deepEqual(json.clientExtensionResults, { prf: { enabled: true, results: { first: b64([1, 2, 3]), second: b64([4]) } } });
    });

    it("uses the browser's toJSON where it has one", () => {
        const native = { id: "native" };
        const credential = Object.assign(attestation(), { toJSON: () => native });
        assert.equal(credentialToJSON(credential), native);
    });

    it("refuses a credential that holds neither kind of answer", () => {
        const odd = { ...assertion(null), response: { clientDataJSON: buffer(1) } } as unknown as PublicKeyCredential;
        assert.throws(() => credentialToJSON(odd), TypeError);
    });
});

describe("navigator.credentials around the JSON", () => {
    it("creates a passkey from JSON options and answers JSON", async () => {
        const calls: CredentialCreationOptions[] = [];
        const signal = new AbortController().signal;
        const platform: WebAuthnPlatform = {
            credentials: { create: async (options) => { calls.push(options); return attestation(); }, get: unusedCredentials.get },
        };
        const json = await createPasskey(creation, { signal, platform });
        assert.equal(json.response.attestationObject, b64([0xa3, 1, 2]));
        assert.equal(calls.length, 1);
        assert.equal(calls[0]?.signal, signal);
        assert.deepEqual(bytes(calls[0]?.publicKey?.challenge), [1, 2, 3, 4]);
    });

    it("signs a challenge, passing the mediation on", async () => {
        const calls: CredentialRequestOptions[] = [];
        const platform: WebAuthnPlatform = {
            credentials: { create: unusedCredentials.create, get: async (options) => { calls.push(options); return assertion(buffer(7)); } },
        };
        const json = await getPasskey(request, { mediation: "conditional", platform });
        assert.equal(json.response.userHandle, b64([7]));
        assert.equal(calls[0]?.mediation, "conditional");
        assert.deepEqual(bytes(calls[0]?.publicKey?.challenge), [4, 3, 2, 1]);
        const plain = await getPasskey(request, { platform });
        assert.ok(plain.response.signature);
        assert.ok(!("mediation" in (calls[1] ?? {})), "no mediation unless asked");
    });

    it("says no passkey was given when the browser answers null", async () => {
        const platform: WebAuthnPlatform = { credentials: { create: async () => null, get: async () => null } };
        await assert.rejects(createPasskey(creation, { platform }), (e: Error) => e.name === "NotAllowedError");
        await assert.rejects(getPasskey(request, { platform }), (e: Error) => e.name === "NotAllowedError");
    });

    it("in Node: no WebAuthn, a clear NotSupportedError, and no autofill", async () => {
        assert.equal(isWebAuthnAvailable(), false);
        await assert.rejects(getPasskey(request), (e: Error) => e.name === "NotSupportedError" && passkeyError(e) === "not-supported");
        assert.equal(await isConditionalMediationAvailable(), false);
    });

    it("asks the browser whether autofill has passkeys, and takes a failure as no", async () => {
        const answering = (answer: () => Promise<boolean>): WebAuthnPlatform => ({ credentials: unusedCredentials, PublicKeyCredential: { isConditionalMediationAvailable: answer } });
        assert.equal(await isConditionalMediationAvailable(answering(async () => true)), true);
        assert.equal(await isConditionalMediationAvailable(answering(async () => false)), false);
        assert.equal(await isConditionalMediationAvailable(answering(() => Promise.reject(new Error("no")))), false);
        assert.equal(await isConditionalMediationAvailable({ credentials: unusedCredentials, PublicKeyCredential: {} }), false);
    });
});

describe("the autofill request", () => {
    /** A get that waits, as a conditional one does, until the person picks a passkey or its signal aborts it. */
    function waiting(): { platform: WebAuthnPlatform; pick(): void; options: CredentialRequestOptions[] } {
        const options: CredentialRequestOptions[] = [];
        let pick = (): void => undefined;
        const platform: WebAuthnPlatform = {
            credentials: {
                create: unusedCredentials.create,
                get: (o) => new Promise((resolve, reject) => {
                    options.push(o);
                    pick = () => resolve(assertion(buffer(1)));
                    o.signal?.addEventListener("abort", () => reject(o.signal?.reason));
                }),
            },
        };
        return { platform, pick: () => pick(), options };
    }

    it("asks with mediation conditional and a signal, and answers the picked passkey", async () => {
        const fake = waiting();
        const signIn = startConditionalSignIn(request, fake.platform);
        await new Promise((resolve) => setImmediate(resolve));
        assert.equal(fake.options[0]?.mediation, "conditional");
        assert.ok(fake.options[0]?.signal instanceof AbortSignal);
        fake.pick();
        assert.equal((await signIn.result)?.response.userHandle, b64([1]));
    });

    it("ends with undefined, not an error, once aborted, and lets go of the request", async () => {
        const fake = waiting();
        const signIn = startConditionalSignIn(request, fake.platform);
        await new Promise((resolve) => setImmediate(resolve));
        await signIn.abort();
        assert.equal(fake.options[0]?.signal?.aborted, true);
        assert.equal(await signIn.result, undefined);
    });

    it("passes on a failure that was no abort", async () => {
        const platform: WebAuthnPlatform = { credentials: { create: unusedCredentials.create, get: () => Promise.reject(new DOMException("bad rp", "SecurityError")) } };
        await assert.rejects(startConditionalSignIn(request, platform).result, (e: Error) => passkeyError(e) === "security");
    });
});

describe("passkeyError", () => {
    it("sorts the DOMExceptions WebAuthn throws", () => {
        const kinds = ["NotAllowedError", "AbortError", "InvalidStateError", "NotSupportedError", "SecurityError", "UnknownError"]
            .map((name) => passkeyError(new DOMException("x", name)));
        assert.deepEqual(kinds, ["cancelled", "aborted", "already-registered", "not-supported", "security", "other"]);
        assert.equal(passkeyError(new TypeError("x")), "other");
        assert.equal(passkeyError(undefined), "other");
    });
});
