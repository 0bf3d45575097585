// An authenticator app for the tests: RFC 6238 codes (HMAC-SHA-1, 6 digits, 30-second steps) from
// the Base32 secret the page shows, with node's crypto.
import { createHmac } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

const stepSeconds = 30;

/** RFC 4648 Base32, the way the page shows the key (groups of four, no padding). */
export function base32Decode(text: string): Buffer {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    const clean = text.replace(/[\s=]/g, "").toUpperCase();
    let bits = 0;
    let value = 0;
    const bytes: number[] = [];
    for (const char of clean) {
        const index = alphabet.indexOf(char);
        if (index < 0) {
            throw new Error(`not Base32: ${char}`);
        }
        value = (value << 5) | index;
        bits += 5;
        if (bits >= 8) {
            bytes.push((value >>> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    return Buffer.from(bytes);
}

/** The code of one time step (RFC 4226's HOTP over the step number). */
export function totpAt(secret: string, step: number): string {
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(BigInt(step));
    const mac = createHmac("sha1", base32Decode(secret)).update(counter).digest();
    const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
    const binary = mac.readUInt32BE(offset) & 0x7fffffff;
    return String(binary % 1_000_000).padStart(6, "0");
}

/**
 * Codes the way the service takes them: each for a step above the last one used, within one step
 * of now either way. Starting a step back and going one forward each time gives three codes at
 * once; a fourth waits for the clock (at most a step). Never a code in the last seconds of a step,
 * so the service's clock cannot move past it while the request is on its way.
 */
export class Authenticator {
    private last = 0;

    constructor(private readonly secret: string) {}

    async next(): Promise<string> {
        for (;;) {
            const now = Date.now() / 1000;
            const current = Math.floor(now / stepSeconds);
            const into = now - current * stepSeconds;
            const step = Math.max(this.last + 1, current - 1);
            if (into > stepSeconds - 5 || step > current + 1) {
                await sleep((stepSeconds - into + 0.5) * 1000);
                continue;
            }
            this.last = step;
            return totpAt(this.secret, step);
        }
    }
}
