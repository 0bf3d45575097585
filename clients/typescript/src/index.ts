// The package's entry point: the client NSwag generates (client.ts, never edited by hand) and the
// one thing it leaves to its users, sending the access token.
export * from "./client.js";

/** What the generated client sends its requests through: `globalThis` (the platform's fetch), or a wrapper of it. */
export interface Http {
    fetch(url: RequestInfo, init?: RequestInit): Promise<Response>;
}

/**
 * An {@link Http} that adds `Authorization: Bearer <token>` to every request while `accessToken`
 * returns a token, and sends the request unchanged while it returns `undefined`. The token is read
 * on each request, so a refreshed token is used as soon as the caller keeps it.
 *
 * @example
 * let tokens: TokenResponse | undefined;
 * const client = new PasetoAuthClient("https://auth.example.com", bearer(() => tokens?.access_token));
 */
export function bearer(accessToken: () => string | undefined, http: Http = globalThis): Http {
    return {
        fetch(url: RequestInfo, init?: RequestInit): Promise<Response> {
            const token = accessToken();
            if (token === undefined) {
                return http.fetch(url, init);
            }

            const headers = new Headers(init?.headers);
            headers.set("Authorization", `Bearer ${token}`);
            return http.fetch(url, { ...init, headers });
        },
    };
}
