// A passkey authenticator for the browser tests: Chromium's virtual authenticator, through the
// DevTools protocol's WebAuthn domain (CTAP2 over the "internal" transport, as a phone's or a
// laptop's platform authenticator; resident keys, user verification that succeeds). The browser's
// own WebAuthn stack makes and signs with it: nothing in the page is replaced.
import type { CDPSession, Page } from "playwright-core";

/** A credential as the authenticator holds it (WebAuthn.getCredentials). */
export interface HeldCredential {
    credentialId: string;
    isResidentCredential: boolean;
    rpId: string;
    userHandle?: string;
    userName?: string;
    signCount: number;
}

export interface VirtualAuthenticator {
    /** What the authenticator holds now. */
    credentials(): Promise<HeldCredential[]>;
    /**
     * Whether requests are answered at once, as if the person touched the sensor (on by default).
     * Off, a request waits for good: the way to keep the sign-in page's autofill request pending, as
     * it is until a person picks a suggestion. Applies to requests made after the change.
     */
    answering(on: boolean): Promise<void>;
    remove(): Promise<void>;
}

export async function addVirtualAuthenticator(page: Page): Promise<VirtualAuthenticator> {
    const session: CDPSession = await page.context().newCDPSession(page);
    await session.send("WebAuthn.enable", { enableUI: false });
    const { authenticatorId } = await session.send("WebAuthn.addVirtualAuthenticator", {
        options: {
            protocol: "ctap2",
            transport: "internal",
            hasResidentKey: true,
            hasUserVerification: true,
            isUserVerified: true,
            automaticPresenceSimulation: true,
        },
    });
    return {
        async credentials() {
            return (await session.send("WebAuthn.getCredentials", { authenticatorId })).credentials as HeldCredential[];
        },
        async answering(on) {
            await session.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled: on });
        },
        async remove() {
            await session.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId });
            await session.detach();
        },
    };
}

/** A WebAuthn sign-in request the page made, as the recorder below saw it. */
export interface RecordedGet {
    mediation: string | null;
    hasSignal: boolean;
    aborted: boolean;
    allowCredentials: number | null;
}

/**
 * Records every navigator.credentials.get the page makes (its mediation, whether it came with a
 * signal and was aborted), passing each on to the browser unchanged. Conditional mediation shows
 * its suggestions only in a real browser window, so what the tests can check is that the page asks
 * for it, and gives way when the person chooses another sign-in.
 */
export async function recordCredentialRequests(page: Page): Promise<void> {
    await page.addInitScript(() => {
        const container = navigator.credentials;
        const original = container.get.bind(container);
        const calls: RecordedGet[] = [];
        (window as unknown as { webauthnCalls: RecordedGet[] }).webauthnCalls = calls;
        container.get = (options?: CredentialRequestOptions) => {
            const call: RecordedGet = {
                mediation: options?.mediation ?? null,
                hasSignal: options?.signal !== undefined,
                aborted: false,
                allowCredentials: options?.publicKey?.allowCredentials?.length ?? null,
            };
            options?.signal?.addEventListener("abort", () => {
                call.aborted = true;
            });
            calls.push(call);
            return original(options);
        };
    });
}

export async function recordedRequests(page: Page): Promise<RecordedGet[]> {
    return page.evaluate(() => (window as unknown as { webauthnCalls?: RecordedGet[] }).webauthnCalls ?? []);
}
