/** The pure rules of two-step sign-in: RFC 6238's test vector, what a typed code is, and hostile input to the passkey checks. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptedStep, codeAt, newRecoveryCodes, readCode, recoveryHash, reusedCode, timeStep } from '../../src/two-step/codes.ts';
import { verifyAssertion, verifyRegistration } from '../../src/two-step/passkeys.ts';

// RFC 6238 appendix B, SHA-1: the key "12345678901234567890"; at 59 s the 8-digit code is 94287082 (6 digits: 287082).
const rfcKey = new TextEncoder().encode('12345678901234567890');

describe('codes', () => {
  it("match RFC 6238's test vector", () => {
    expect(codeAt(rfcKey, timeStep(new Date(59_000)))).toBe('287082');
    expect(codeAt(rfcKey, timeStep(new Date(1111111109_000)))).toBe('081804');
  });

  it('are accepted within one step of now, once: a code of the last used step or earlier is a reuse', () => {
    const now = new Date(1_700_000_000_000);
    const step = timeStep(now);
    expect(acceptedStep(rfcKey, codeAt(rfcKey, step), now, null)).toBe(step);
    expect(acceptedStep(rfcKey, codeAt(rfcKey, step - 1), now, null)).toBe(step - 1);
    expect(acceptedStep(rfcKey, codeAt(rfcKey, step - 2), now, null)).toBeNull();
    expect(acceptedStep(rfcKey, codeAt(rfcKey, step), now, step)).toBeNull();
    expect(reusedCode(rfcKey, codeAt(rfcKey, step), now, step)).toBe(true);
    expect(reusedCode(rfcKey, '000000' === codeAt(rfcKey, step) ? '111111' : '000000', now, step)).toBe(false);
  });

  it('read spaces as nothing, letters as an error, and recovery codes in any case', () => {
    expect(readCode(' 123 456 ')).toEqual({ kind: 'totp', code: '123456' });
    expect(readCode('12a456')).toEqual({ kind: 'letters' });
    expect(readCode('12345')).toEqual({ kind: 'digits' });
    expect(readCode('')).toEqual({ kind: 'empty' });
    expect(readCode('ABCDE-FGH23')).toEqual({ kind: 'recovery', code: 'abcdefgh23' });
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(readCode(code)).toEqual({ kind: 'recovery', code: code.replace('-', '') });
    expect(recoveryHash(codes[0])).toBe(recoveryHash(codes[0].toUpperCase()));
  });

  it('never throw on hostile input, nor accept it as a passkey', () => {
    const rp = { id: 'localhost', origins: ['http://localhost:3000'] };
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 300 }), (a, b) => {
        readCode(a);
        const b64 = Buffer.from(a).toString('base64');
        expect(verifyRegistration(rp, b64, b)).toBeNull();
        expect(verifyRegistration(rp, b64, b64)).toBeNull();
        expect(verifyAssertion(rp, { algorithm: -7, publicKey: '04' + '00'.repeat(64) }, { authenticatorData: b64, clientData: b64, signature: b })).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
