export class ClientBase {
    // NSwag copies this class into src/client.ts (nswag.json: extensionCode, clientBaseClass) as
    // the base of the generated client, which asks it where its requests go.

    /**
     * The address the paths (each beginning with "/") are appended to: `baseUrl` when given, else
     * the document's server, "/" (the host the page came from); either without a trailing "/", so
     * that no request goes to "//v1/…", which names another host.
     */
    protected getBaseUrl(defaultUrl: string, baseUrl?: string): string {
        return (baseUrl ?? defaultUrl).replace(/\/+$/, "");
    }
}
