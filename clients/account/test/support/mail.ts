// A local mail sink for the browser tests: smtp4dev (a dotnet tool of the repository's manifest)
// on free loopback ports, its messages in memory, read through its HTTP API.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export interface MailSink {
    /** The SMTP port the API sends to. */
    readonly smtpPort: number;
    /** The plain-text part of the newest mail to `to` whose subject contains `subject`, waiting for it. */
    waitFor(to: string, subject: string): Promise<string>;
    stop(): Promise<void>;
}

/** A port nobody listens on now (the system's pick, released at once). */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
        });
    });
}

interface MessageSummary {
    id: string;
    to: string[] | string;
    subject: string;
    receivedDate: string;
}

export async function startMailSink(cwd: string): Promise<MailSink> {
    const smtpPort = await freePort();
    const webPort = await freePort();
    const web = `http://127.0.0.1:${webPort}`;
    const sink: ChildProcess = spawn("dotnet", ["smtp4dev", `--urls=${web}`, "--bindaddress=127.0.0.1", `--smtpport=${smtpPort}`,
        "--imapport=", "--pop3port=", "--db=", "--nousersettings"], { cwd, stdio: "ignore" });
    const deadline = Date.now() + 60_000;
    for (;;) {
        try {
            if ((await fetch(`${web}/api/messages`)).ok) {
                break;
            }
        } catch {
            // Not listening yet.
        }
        if (sink.exitCode !== null || Date.now() > deadline) {
            sink.kill("SIGKILL");
            throw new Error("the mail sink (smtp4dev) did not start");
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
    }

    async function list(): Promise<MessageSummary[]> {
        const body = await (await fetch(`${web}/api/messages?pageSize=500`)).json() as MessageSummary[] | { results: MessageSummary[] };
        return Array.isArray(body) ? body : body.results;
    }

    return {
        smtpPort,
        async waitFor(to, subject) {
            const until = Date.now() + 30_000;
            for (;;) {
                const match = (await list())
                    .filter((m) => [m.to].flat().some((address) => address.toLowerCase().includes(to.toLowerCase())) && m.subject.includes(subject))
                    .sort((a, b) => Date.parse(b.receivedDate) - Date.parse(a.receivedDate))[0];
                if (match) {
                    return await (await fetch(`${web}/api/messages/${match.id}/plaintext`)).text();
                }
                if (Date.now() > until) {
                    throw new Error(`no mail "${subject}" to ${to} within 30 s`);
                }
                await new Promise((resolve) => setTimeout(resolve, 200));
            }
        },
        stop() {
            return new Promise((resolve) => {
                if (sink.exitCode !== null || sink.signalCode !== null) {
                    resolve();
                    return;
                }
                const killer = setTimeout(() => sink.kill("SIGKILL"), 5_000);
                sink.once("exit", () => {
                    clearTimeout(killer);
                    resolve();
                });
                sink.kill("SIGTERM");
            });
        },
    };
}

/** The link of a mail's text part that leads to the console (`…/account/<action>#token=…`). */
export function accountLink(text: string): string {
    const link = /https?:\/\/\S+\/account\/[a-z-]+#token=[A-Za-z0-9_-]+/.exec(text)?.[0];
    if (!link) {
        throw new Error(`no account link in the mail:\n${text}`);
    }
    return link;
}
