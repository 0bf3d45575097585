// Passkeys (DESIGN §11) as the console uses them: the API's JSON options through the client's
// WebAuthn helpers to navigator.credentials and back. Sign-in from a button (discoverable: no
// username), the autofill request (conditional mediation) the sign-in page keeps waiting, the
// second step of a password sign-in, and the signed-in calls of the passkeys page.
import { AddPasskeyRequest, PasskeyAssertion, PasskeyCreationOptionsRequest, PasskeyLoginRequest, PasskeyRequestOptionsRequest, RemovePasskeyRequest, RenamePasskeyRequest, type PasskeyView } from "./client.js";
import type { SecondFactor } from "./forms.js";
import { describe, type Described } from "./problems.js";
import { anonymous, api, deviceToken, signedIn } from "./session.js";
import {
    createPasskey, getPasskey, isConditionalMediationAvailable, isWebAuthnAvailable, startConditionalSignIn,
    type AuthenticationResponseJSON, type ConditionalSignIn, type CreationOptionsJSON, type RequestOptionsJSON,
} from "./webauthn.js";

export { isWebAuthnAvailable };
export type { PasskeyView };

/** A signed assertion for one of the API's sign-in challenges, ready to send. */
interface Assertion {
    readonly challengeId: string;
    readonly credential: AuthenticationResponseJSON;
}

async function loginOptions(mfaToken?: string): Promise<{ challengeId: string; options: RequestOptionsJSON }> {
    const answer = await anonymous.passkeyLoginOptions(new PasskeyRequestOptionsRequest(mfaToken ? { mfa_token: mfaToken } : {}));
    return { challengeId: answer.challenge_id, options: answer.options as unknown as RequestOptionsJSON };
}

async function finish(assertion: Assertion): Promise<void> {
    signedIn(await anonymous.passkeyLogin(new PasskeyLoginRequest({
        challenge_id: assertion.challengeId,
        credential: assertion.credential,
        device_token: deviceToken(),
    })));
}

/**
 * Signs in with a passkey the person picks in the browser's dialog: with no username (the
 * authenticator names the account), or, with `mfaToken`, as the second step of a password sign-in.
 */
export async function signInWithPasskey(mfaToken?: string): Promise<void> {
    const { challengeId, options } = await loginOptions(mfaToken);
    await finish({ challengeId, credential: await getPasskey(options) });
}

/** How long before its challenge runs out the autofill request is started again with a fresh one. */
const renewMarginMs = 15_000;
const defaultChallengeMs = 5 * 60_000;

/**
 * The autofill sign-in of the sign-in page: where the browser offers passkeys among a field's
 * suggestions (`autocomplete="username webauthn"`), a conditional-mediation request waits for the
 * person to pick one, and signs in when they do. It is started again with a new challenge before
 * the old one runs out. `stop()` ends it (before a password sign-in or the button's own request:
 * a page may have one WebAuthn request at a time).
 */
export interface Autofill {
    stop(): Promise<void>;
}

export function startAutofill(onSignedIn: () => void, onProblem: (problem: Described) => void): Autofill {
    let stopped = false;
    let current: ConditionalSignIn | undefined;
    const run = async (): Promise<void> => {
        let refused = 0;
        while (!stopped && (await isConditionalMediationAvailable())) {
            const { challengeId, options } = await loginOptions();
            if (stopped) {
                return;
            }
            const request = startConditionalSignIn(options);
            current = request;
            // Aborted to start again with a fresh challenge before this one runs out.
            const renew = setTimeout(() => void request.abort(), Math.max(30_000, (options.timeout ?? defaultChallengeMs) - renewMarginMs));
            let credential: AuthenticationResponseJSON | undefined;
            try {
                credential = await request.result;
            } finally {
                clearTimeout(renew);
            }
            if (credential === undefined || stopped) {
                continue;
            }
            try {
                await finish({ challengeId, credential });
                stopped = true;
                onSignedIn();
                return;
            } catch (error) {
                // A refused pick (another account's passkey, one removed) is said, and autofill goes on offering.
                onProblem(describe(error));
                refused += 1;
                if (refused >= 3) {
                    return;
                }
            }
        }
    };
    run().catch((error: unknown) => {
        if (!stopped) {
            onProblem(describe(error));
        }
    });
    return {
        async stop() {
            stopped = true;
            await current?.abort();
        },
    };
}

/** The passkeys of the signed-in person, oldest first. */
export async function listPasskeys(): Promise<PasskeyView[]> {
    return (await api.listPasskeys()).items;
}

/**
 * A second factor for a risky change: a code or recovery code as typed, or (`"passkey"`) a fresh
 * assertion of one of the account's passkeys, made here with the API's verification options.
 */
export type StepUp = SecondFactor | "passkey";

async function stepUp(factor: StepUp): Promise<SecondFactor & { assertion?: PasskeyAssertion }> {
    if (factor !== "passkey") {
        return factor;
    }
    const answer = await api.passkeyVerificationOptions();
    const credential = await getPasskey(answer.options as RequestOptionsJSON);
    return { assertion: new PasskeyAssertion({ challenge_id: answer.challenge_id, credential }) };
}

/**
 * Makes a passkey: the password (and a factor when one is on) asks the API for creation options,
 * the browser makes the credential, the API keeps it. The answer carries the recovery codes when
 * this was the account's first factor.
 */
export async function addPasskey(password: string, factor: StepUp, name: string | undefined): Promise<{ passkey: PasskeyView; recoveryCodes?: string[] }> {
    const answer = await api.passkeyCreationOptions(new PasskeyCreationOptionsRequest({ password, ...(await stepUp(factor)) }));
    const credential = await createPasskey(answer.options as CreationOptionsJSON);
    const added = await api.addPasskey(new AddPasskeyRequest({ challenge_id: answer.challenge_id, name: name || undefined, credential }));
    return { passkey: added, ...(added.recovery_codes ? { recoveryCodes: added.recovery_codes } : {}) };
}

export async function renamePasskey(id: string, name: string): Promise<PasskeyView> {
    return api.renamePasskey(id, new RenamePasskeyRequest({ name }));
}

/** Removes a passkey with a code, or with a fresh assertion of any of the account's passkeys (this one too). */
export async function removePasskey(id: string, factor: StepUp): Promise<void> {
    await api.removePasskey(id, new RemovePasskeyRequest(await stepUp(factor)));
}
