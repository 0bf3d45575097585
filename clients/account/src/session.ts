// Where the console keeps its tokens (docs/decisions/0005-account-console-tokens.md):
// - the access token in this module's memory only: gone on reload, never in any storage;
// - the refresh token in sessionStorage: this tab survives a reload, closing it ends the sign-in
//   there, and no other tab or window reads it;
// - the device token in localStorage: it names this browser as a known device (no "new sign-in"
//   mail, its own login throttle counter); it signs nobody in.
import type { SecondFactor } from "./forms.js";
import { SessionEndedError } from "./problems.js";
import { ApiException, LoginRequest, MfaLoginRequest, PasetoAuthClient, RefreshTokensRequest, type Http, type TokenResponse } from "./client.js";

const refreshKey = "paseto-auth.refresh-token";
const deviceKey = "paseto-auth.device-token";
/** Refresh a little before the access token runs out, so a request seldom meets an expired one. */
const earlyRefreshMs = 30_000;

let accessToken: string | undefined;
let accessExpiresAt = 0;
let refreshing: Promise<boolean> | undefined;
let onEnded: ((reason: string) => void) | undefined;

const origin = window.location.origin;
/** Calls that need no token (sign-in, the mail links' pages). */
export const anonymous = new PasetoAuthClient(origin, globalThis);

function read(storage: Storage, key: string): string | undefined {
    try {
        return storage.getItem(key) ?? undefined;
    } catch {
        return undefined;
    }
}

function write(storage: Storage, key: string, value: string | undefined): void {
    try {
        if (value === undefined) {
            storage.removeItem(key);
        } else {
            storage.setItem(key, value);
        }
    } catch {
        // Storage refused (private mode, quota): the sign-in lasts until the page is left.
    }
}

function keep(tokens: TokenResponse): void {
    accessToken = tokens.access_token;
    accessExpiresAt = Date.now() + tokens.expires_in * 1000;
    write(sessionStorage, refreshKey, tokens.refresh_token);
    if (tokens.device_token) {
        write(localStorage, deviceKey, tokens.device_token);
    }
}

/** Forgets this tab's sign-in; the device token stays, since it names the browser, not a person's session. */
export function forget(): void {
    accessToken = undefined;
    accessExpiresAt = 0;
    write(sessionStorage, refreshKey, undefined);
}

/** Called once the session is gone (revoked, expired, reused refresh token); the app goes back to sign-in. */
export function whenEnded(handler: (reason: string) => void): void {
    onEnded = handler;
}

function ended(reason: string): void {
    forget();
    onEnded?.(reason);
}

export function isSignedIn(): boolean {
    return accessToken !== undefined || read(sessionStorage, refreshKey) !== undefined;
}

/** Signs in with the password; throws the API's problem as an ApiException. */
export async function signIn(username: string, password: string): Promise<void> {
    const tokens = await anonymous.login(new LoginRequest({ username, password, device_token: read(localStorage, deviceKey) }));
    keep(tokens);
}

/**
 * Finishes a sign-in that the password step answered with `/problems/mfa-required`: the
 * `mfa_token` of that answer and a code. The device token goes again (the second step is where
 * the session starts), and the tokens are kept as a password sign-in keeps them.
 */
export async function signInWithCode(mfaToken: string, factor: SecondFactor): Promise<void> {
    const tokens = await anonymous.loginMfa(new MfaLoginRequest({ mfa_token: mfaToken, ...factor, device_token: read(localStorage, deviceKey) }));
    keep(tokens);
}

/** The device token this browser keeps, for a sign-in that ends elsewhere (a passkey's, src/passkeys.ts). */
export function deviceToken(): string | undefined {
    return read(localStorage, deviceKey);
}

/** Keeps the tokens of a sign-in finished elsewhere (a passkey's) as a password sign-in keeps them. */
export function signedIn(tokens: TokenResponse): void {
    keep(tokens);
}

/**
 * Trades the refresh token for a new pair, once at a time: the refresh token is single use, so
 * two parallel refreshes would present it twice and the second would end the session (reuse
 * detection). False when there is no session any more.
 */
export function refresh(): Promise<boolean> {
    refreshing ??= (async () => {
        const token = read(sessionStorage, refreshKey);
        if (token === undefined) {
            return false;
        }
        try {
            keep(await anonymous.refresh(new RefreshTokensRequest({ refresh_token: token })));
            return true;
        } catch (error) {
            if (ApiException.isApiException(error) && error.status === 401) {
                forget();
                return false;
            }
            throw error;
        } finally {
            refreshing = undefined;
        }
    })();
    return refreshing;
}

function problemType(response: Response): Promise<string | undefined> {
    return response.clone().json().then((body: { type?: unknown }) => (typeof body.type === "string" ? body.type : undefined), () => undefined);
}

/**
 * Sends the access token, refreshing it first when it is about to run out, and once more when the
 * API says it has expired. A session that has ended sends the person back to sign-in.
 */
const authenticated: Http = {
    async fetch(url: RequestInfo, init?: RequestInit): Promise<Response> {
        if ((accessToken === undefined || Date.now() > accessExpiresAt - earlyRefreshMs) && !(await refresh())) {
            const error = new SessionEndedError();
            ended(error.message);
            throw error;
        }
        const send = () => {
            const headers = new Headers(init?.headers);
            headers.set("Authorization", `Bearer ${accessToken ?? ""}`);
            return globalThis.fetch(url, { ...init, headers });
        };
        let response = await send();
        if (response.status !== 401) {
            return response;
        }
        let type = await problemType(response);
        if (type?.endsWith("/token-expired") && (await refresh())) {
            response = await send();
            if (response.status !== 401) {
                return response;
            }
            type = await problemType(response);
        }
        // A wrong current password or code (or a missing code), or a refused passkey, is the
        // person's to fix, not the end of the session.
        if (!["/wrong-password", "/wrong-mfa-code", "/mfa-code-required", "/passkey-refused", "/passkey-counter-regressed", "/passkey-origin-mismatch"].some((slug) => type?.endsWith(slug))) {
            ended("Your session has ended. Sign in again.");
        }
        return response;
    },
};

/** The client for everything a signed-in person does. */
export const api = new PasetoAuthClient(origin, authenticated);

/** Ends this session at the API (best effort) and forgets it here. */
export async function signOut(): Promise<void> {
    try {
        if (isSignedIn()) {
            await api.logout();
        }
    } catch {
        // The session is forgotten here whatever the API answered.
    } finally {
        forget();
    }
}
