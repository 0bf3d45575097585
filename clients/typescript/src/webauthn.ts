// Passkeys in the browser: the API sends WebAuthn options as JSON (WebAuthn Level 3's
// PublicKeyCredentialCreationOptionsJSON / PublicKeyCredentialRequestOptionsJSON, bytes as
// base64url) and takes the browser's answer back as JSON (what PublicKeyCredential.toJSON()
// gives). This entry point (`@paseto-auth/client/webauthn`) turns one into the other around
// navigator.credentials.create/get, with the browser's own parse/toJSON functions where it has
// them and a conversion of its own where it does not. Nothing here reads `navigator` or
// `PublicKeyCredential` until a function is called, so the module loads in Node too (its
// conversions are tested there); the main entry point never imports it.

/** Bytes as base64url without padding (RFC 4648 §5), as WebAuthn's JSON forms carry them. */
export type Base64Url = string;

/** A credential named in options: `excludeCredentials` of creation, `allowCredentials` of sign-in. */
export interface CredentialDescriptorJSON {
    id: Base64Url;
    type: string;
    transports?: string[];
}

/** What `POST /v1/users/me/passkeys/options` answers in `options` (WebAuthn L3 PublicKeyCredentialCreationOptionsJSON). */
export interface CreationOptionsJSON {
    rp: { id?: string; name: string };
    user: { id: Base64Url; name: string; displayName: string };
    challenge: Base64Url;
    pubKeyCredParams: { type: string; alg: number }[];
    timeout?: number;
    excludeCredentials?: CredentialDescriptorJSON[];
    authenticatorSelection?: {
        authenticatorAttachment?: string;
        residentKey?: string;
        requireResidentKey?: boolean;
        userVerification?: string;
    };
    hints?: string[];
    attestation?: string;
    attestationFormats?: string[];
    extensions?: Record<string, unknown>;
}

/** What `POST /v1/passkeys/login/options` answers in `options` (WebAuthn L3 PublicKeyCredentialRequestOptionsJSON). */
export interface RequestOptionsJSON {
    challenge: Base64Url;
    timeout?: number;
    rpId?: string;
    allowCredentials?: CredentialDescriptorJSON[];
    userVerification?: string;
    hints?: string[];
    extensions?: Record<string, unknown>;
}

/** A new passkey as the API takes it (`credential` of `POST /v1/users/me/passkeys`): WebAuthn L3 RegistrationResponseJSON. */
export interface RegistrationResponseJSON {
    id: Base64Url;
    rawId: Base64Url;
    type: string;
    response: {
        clientDataJSON: Base64Url;
        attestationObject: Base64Url;
        authenticatorData?: Base64Url;
        transports?: string[];
        publicKey?: Base64Url;
        publicKeyAlgorithm?: number;
    };
    authenticatorAttachment?: string;
    clientExtensionResults: Record<string, unknown>;
}

/** A signed challenge as the API takes it (`credential` of `POST /v1/passkeys/login`): WebAuthn L3 AuthenticationResponseJSON. */
export interface AuthenticationResponseJSON {
    id: Base64Url;
    rawId: Base64Url;
    type: string;
    response: {
        clientDataJSON: Base64Url;
        authenticatorData: Base64Url;
        signature: Base64Url;
        userHandle?: Base64Url;
        attestationObject?: Base64Url;
    };
    authenticatorAttachment?: string;
    clientExtensionResults: Record<string, unknown>;
}

/** The parts of the browser this module uses; tests pass their own, everyone else the browser's (the default). */
export interface WebAuthnPlatform {
    readonly credentials: { create(options: CredentialCreationOptions): Promise<Credential | null>; get(options: CredentialRequestOptions): Promise<Credential | null> };
    readonly PublicKeyCredential?: {
        parseCreationOptionsFromJSON?(options: never): PublicKeyCredentialCreationOptions;
        parseRequestOptionsFromJSON?(options: never): PublicKeyCredentialRequestOptions;
        isConditionalMediationAvailable?(): Promise<boolean>;
    };
}

function browser(): WebAuthnPlatform | undefined {
    const scope = globalThis as { navigator?: { credentials?: WebAuthnPlatform["credentials"] }; PublicKeyCredential?: WebAuthnPlatform["PublicKeyCredential"] };
    const credentials = scope.navigator?.credentials;
    if (!credentials || scope.PublicKeyCredential === undefined) {
        return undefined;
    }
    return { credentials, PublicKeyCredential: scope.PublicKeyCredential };
}

function platformOrThrow(platform: WebAuthnPlatform | undefined): WebAuthnPlatform {
    const found = platform ?? browser();
    if (!found) {
        throw new DOMException("This browser has no passkey support (WebAuthn), or the page is not in a secure context.", "NotSupportedError");
    }
    return found;
}

/** Whether the browser can use passkeys here: WebAuthn exists and the page is a secure context. */
export function isWebAuthnAvailable(): boolean {
    return browser() !== undefined && (globalThis as { isSecureContext?: boolean }).isSecureContext !== false;
}

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const values = new Map([...alphabet].map((c, i) => [c, i]));

/** Encodes bytes as base64url without padding. */
export function toBase64Url(bytes: ArrayBuffer | ArrayBufferView): Base64Url {
    const view = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let text = "";
    let i = 0;
    for (; i + 2 < view.length; i += 3) {
        const n = (view[i] << 16) | (view[i + 1] << 8) | view[i + 2];
        text += alphabet[n >> 18] + alphabet[(n >> 12) & 63] + alphabet[(n >> 6) & 63] + alphabet[n & 63];
    }
    const left = view.length - i;
    if (left === 1) {
        const n = view[i] << 16;
        text += alphabet[n >> 18] + alphabet[(n >> 12) & 63];
    } else if (left === 2) {
        const n = (view[i] << 16) | (view[i + 1] << 8);
        text += alphabet[n >> 18] + alphabet[(n >> 12) & 63] + alphabet[(n >> 6) & 63];
    }
    return text;
}

/**
 * Decodes base64url (padding allowed, not needed) into a fresh ArrayBuffer. Throws a TypeError for
 * anything else — standard base64's `+` and `/`, whitespace, a length no encoding has, or
 * leftover bits that are not zero — so a damaged value fails here, not as a confusing refusal later.
 */
export function fromBase64Url(text: string): ArrayBuffer {
    const body = text.replace(/={1,2}$/, "");
    if (body.length % 4 === 1 || (body.length !== text.length && (text.length % 4 !== 0))) {
        throw new TypeError("Not base64url: the length is wrong.");
    }
    const bytes = new Uint8Array(Math.floor((body.length * 3) / 4));
    let bits = 0;
    let buffer = 0;
    let out = 0;
    for (const c of body) {
        const value = values.get(c);
        if (value === undefined) {
            throw new TypeError("Not base64url: it holds a character outside A-Z a-z 0-9 - _.");
        }
        buffer = (buffer << 6) | value;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            bytes[out++] = (buffer >> bits) & 0xff;
        }
    }
    if ((buffer & ((1 << bits) - 1)) !== 0) {
        throw new TypeError("Not base64url: the last character has bits set past the end.");
    }
    return bytes.buffer;
}

/**
 * The value without its `null` members, deeply: a JSON serializer may write an absent option as
 * null, which the browser's dictionaries take as a wrong type (`hints: null`) or as a value
 * (`timeout: null` is 0).
 */
function withoutNulls<T>(value: T): T {
    if (Array.isArray(value)) {
        return value.map(withoutNulls) as T;
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, withoutNulls(v)])) as T;
    }
    return value;
}

function descriptors(list: CredentialDescriptorJSON[] | undefined): PublicKeyCredentialDescriptor[] | undefined {
    return list?.map((d) => ({ ...d, id: fromBase64Url(d.id), type: d.type as PublicKeyCredentialType, transports: d.transports as AuthenticatorTransport[] | undefined }));
}

/** The extension inputs WebAuthn L3 carries as base64url (prf's salts, largeBlob's write) as bytes; the rest as they are. */
function extensionInputs(extensions: Record<string, unknown> | undefined): AuthenticationExtensionsClientInputs | undefined {
    if (!extensions) {
        return undefined;
    }
    const result: Record<string, unknown> = { ...extensions };
    const salts = (v: { first: Base64Url; second?: Base64Url }) => ({ first: fromBase64Url(v.first), ...(v.second === undefined ? {} : { second: fromBase64Url(v.second) }) });
    const prf = extensions.prf as { eval?: { first: Base64Url; second?: Base64Url }; evalByCredential?: Record<string, { first: Base64Url; second?: Base64Url }> } | undefined;
    if (prf) {
        result.prf = {
            ...(prf.eval ? { eval: salts(prf.eval) } : {}),
            ...(prf.evalByCredential ? { evalByCredential: Object.fromEntries(Object.entries(prf.evalByCredential).map(([k, v]) => [k, salts(v)])) } : {}),
        };
    }
    const largeBlob = extensions.largeBlob as { write?: Base64Url } | undefined;
    if (largeBlob?.write !== undefined) {
        result.largeBlob = { ...largeBlob, write: fromBase64Url(largeBlob.write) };
    }
    return result as AuthenticationExtensionsClientInputs;
}

/** The creation options as `navigator.credentials.create({ publicKey })` takes them: the browser's parser when it has one. */
export function creationOptionsFromJSON(json: CreationOptionsJSON, platform?: WebAuthnPlatform): PublicKeyCredentialCreationOptions {
    const clean = withoutNulls(json);
    const native = (platform ?? browser())?.PublicKeyCredential?.parseCreationOptionsFromJSON;
    if (native) {
        return native(clean as never);
    }
    const { excludeCredentials, extensions, ...rest } = clean;
    return {
        ...rest,
        challenge: fromBase64Url(clean.challenge),
        user: { ...clean.user, id: fromBase64Url(clean.user.id) },
        pubKeyCredParams: clean.pubKeyCredParams as PublicKeyCredentialParameters[],
        ...(excludeCredentials ? { excludeCredentials: descriptors(excludeCredentials) } : {}),
        ...(extensions ? { extensions: extensionInputs(extensions) } : {}),
    } as PublicKeyCredentialCreationOptions;
}

/** The sign-in options as `navigator.credentials.get({ publicKey })` takes them: the browser's parser when it has one. */
export function requestOptionsFromJSON(json: RequestOptionsJSON, platform?: WebAuthnPlatform): PublicKeyCredentialRequestOptions {
    const clean = withoutNulls(json);
    const native = (platform ?? browser())?.PublicKeyCredential?.parseRequestOptionsFromJSON;
    if (native) {
        return native(clean as never);
    }
    const { allowCredentials, extensions, ...rest } = clean;
    return {
        ...rest,
        challenge: fromBase64Url(clean.challenge),
        ...(allowCredentials ? { allowCredentials: descriptors(allowCredentials) } : {}),
        ...(extensions ? { extensions: extensionInputs(extensions) } : {}),
    } as PublicKeyCredentialRequestOptions;
}

/** Extension outputs with every byte string as base64url, as WebAuthn L3's JSON form has them (prf results, largeBlob). */
function extensionOutputs(value: unknown): unknown {
    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
        return toBase64Url(value);
    }
    if (Array.isArray(value)) {
        return value.map(extensionOutputs);
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, extensionOutputs(v)]));
    }
    return value;
}

/** What a PublicKeyCredential has, whichever kind of answer it holds; all but the basics optional, as browsers differ. */
interface CredentialLike {
    id: string;
    rawId: ArrayBuffer;
    type: string;
    authenticatorAttachment?: string | null;
    response: {
        clientDataJSON: ArrayBuffer;
        attestationObject?: ArrayBuffer;
        authenticatorData?: ArrayBuffer;
        signature?: ArrayBuffer;
        userHandle?: ArrayBuffer | null;
        getAuthenticatorData?(): ArrayBuffer;
        getTransports?(): string[];
        getPublicKey?(): ArrayBuffer | null;
        getPublicKeyAlgorithm?(): number;
    };
    getClientExtensionResults(): AuthenticationExtensionsClientOutputs;
    toJSON?(): unknown;
}

/**
 * The browser's answer in WebAuthn L3's JSON form (`RegistrationResponseJSON` from `create`,
 * `AuthenticationResponseJSON` from `get`): `toJSON()` where the browser has it, built from the
 * credential's parts otherwise, with the same members.
 */
export function credentialToJSON(credential: PublicKeyCredential): RegistrationResponseJSON | AuthenticationResponseJSON {
    const c = credential as unknown as CredentialLike;
    if (typeof c.toJSON === "function") {
        return c.toJSON() as RegistrationResponseJSON | AuthenticationResponseJSON;
    }
    const r = c.response;
    const common = {
        id: c.id,
        rawId: toBase64Url(c.rawId),
        type: c.type,
        ...(c.authenticatorAttachment ? { authenticatorAttachment: c.authenticatorAttachment } : {}),
        clientExtensionResults: extensionOutputs(c.getClientExtensionResults()) as Record<string, unknown>,
    };
    if (r.attestationObject !== undefined && r.signature === undefined) {
        const authenticatorData = r.getAuthenticatorData?.();
        const publicKey = r.getPublicKey?.();
        const algorithm = r.getPublicKeyAlgorithm?.();
        return {
            ...common,
            response: {
                clientDataJSON: toBase64Url(r.clientDataJSON),
                attestationObject: toBase64Url(r.attestationObject),
                ...(authenticatorData ? { authenticatorData: toBase64Url(authenticatorData) } : {}),
                transports: r.getTransports?.() ?? [],
                ...(publicKey ? { publicKey: toBase64Url(publicKey) } : {}),
                ...(algorithm !== undefined ? { publicKeyAlgorithm: algorithm } : {}),
            },
        };
    }
    if (r.authenticatorData === undefined || r.signature === undefined) {
        throw new TypeError("The credential holds neither an attestation nor an assertion.");
    }
    return {
        ...common,
        response: {
            clientDataJSON: toBase64Url(r.clientDataJSON),
            authenticatorData: toBase64Url(r.authenticatorData),
            signature: toBase64Url(r.signature),
            ...(r.userHandle ? { userHandle: toBase64Url(r.userHandle) } : {}),
            ...(r.attestationObject ? { attestationObject: toBase64Url(r.attestationObject) } : {}),
        },
    };
}

/**
 * Makes a passkey with the creation options the API sent: the browser asks the person (and their
 * authenticator), then the answer goes back to the API as `credential`. Rejects as
 * `navigator.credentials.create` does (a DOMException: `NotAllowedError` when the person
 * cancelled or the time ran out, `InvalidStateError` when the authenticator already holds one of
 * the account's passkeys); see {@link passkeyError}.
 */
export async function createPasskey(options: CreationOptionsJSON, init: { signal?: AbortSignal; platform?: WebAuthnPlatform } = {}): Promise<RegistrationResponseJSON> {
    const platform = platformOrThrow(init.platform);
    const publicKey = creationOptionsFromJSON(options, platform);
    const credential = await platform.credentials.create({ publicKey, ...(init.signal ? { signal: init.signal } : {}) });
    if (!credential) {
        throw new DOMException("The browser made no passkey.", "NotAllowedError");
    }
    return credentialToJSON(credential as PublicKeyCredential) as RegistrationResponseJSON;
}

/**
 * Signs the API's challenge with a passkey, for `POST /v1/passkeys/login` (or a step that asks for
 * a fresh assertion). `mediation: "conditional"` is the autofill form: the request waits, showing
 * nothing, until the person picks a passkey among the suggestions of an input with
 * `autocomplete="username webauthn"` — abort it through `signal` before starting any other
 * WebAuthn call (a page may have one pending at a time). Check {@link isConditionalMediationAvailable} first.
 */
export async function getPasskey(options: RequestOptionsJSON, init: { signal?: AbortSignal; mediation?: CredentialMediationRequirement; platform?: WebAuthnPlatform } = {}): Promise<AuthenticationResponseJSON> {
    const platform = platformOrThrow(init.platform);
    const publicKey = requestOptionsFromJSON(options, platform);
    const credential = await platform.credentials.get({
        publicKey,
        ...(init.signal ? { signal: init.signal } : {}),
        ...(init.mediation ? { mediation: init.mediation } : {}),
    });
    if (!credential) {
        throw new DOMException("The browser gave no passkey.", "NotAllowedError");
    }
    return credentialToJSON(credential as PublicKeyCredential) as AuthenticationResponseJSON;
}

/** Whether the browser offers passkeys in a field's autofill (conditional mediation); false where it cannot say. */
export async function isConditionalMediationAvailable(platform?: WebAuthnPlatform): Promise<boolean> {
    const statics = (platform ?? browser())?.PublicKeyCredential;
    if (typeof statics?.isConditionalMediationAvailable !== "function") {
        return false;
    }
    try {
        return await statics.isConditionalMediationAvailable();
    } catch {
        return false;
    }
}

/**
 * A conditional (autofill) sign-in that waits in the background: `result` settles with the
 * person's assertion, or with `undefined` once {@link ConditionalSignIn.abort} was called, so
 * aborting it (on a password submit, or before the button's own request) is no error.
 */
export interface ConditionalSignIn {
    readonly result: Promise<AuthenticationResponseJSON | undefined>;
    /** Ends the waiting request; resolves once the browser has let go of it. */
    abort(): Promise<void>;
}

/** Starts a conditional-mediation `get` (see {@link getPasskey}) that can be aborted without an error. */
export function startConditionalSignIn(options: RequestOptionsJSON, platform?: WebAuthnPlatform): ConditionalSignIn {
    const controller = new AbortController();
    const result = getPasskey(options, { mediation: "conditional", signal: controller.signal, ...(platform ? { platform } : {}) })
        .catch((error: unknown) => {
            if (controller.signal.aborted) {
                return undefined;
            }
            throw error;
        });
    return {
        result,
        async abort() {
            controller.abort(new DOMException("The autofill request gave way to another sign-in.", "AbortError"));
            await result.then(() => undefined, () => undefined);
        },
    };
}

/** What a failed `createPasskey`/`getPasskey` means for the person. */
export type PasskeyErrorKind =
    /** Cancelled, timed out, or refused by the person or the browser (NotAllowedError). */
    | "cancelled"
    /** The request was aborted through its signal (AbortError). */
    | "aborted"
    /** The authenticator already holds a passkey of this account (InvalidStateError on create). */
    | "already-registered"
    /** No WebAuthn here, or nothing the options ask for is supported (NotSupportedError). */
    | "not-supported"
    /** The page's origin does not fit the relying party id (SecurityError). */
    | "security"
    | "other";

/** Sorts what `createPasskey`/`getPasskey` threw by its DOMException name. */
export function passkeyError(error: unknown): PasskeyErrorKind {
    const name = (error as { name?: unknown } | null)?.name;
    switch (name) {
        case "NotAllowedError":
            return "cancelled";
        case "AbortError":
            return "aborted";
        case "InvalidStateError":
            return "already-registered";
        case "NotSupportedError":
            return "not-supported";
        case "SecurityError":
            return "security";
        default:
            return "other";
    }
}
