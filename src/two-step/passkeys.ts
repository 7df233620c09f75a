/**
 * Passkeys (WebAuthn) as a second step, verified the Lucia guide's way with @oslojs/webauthn and
 * @oslojs/crypto (docs/decisions/106): attestation "none" (we trust the key, not the device's maker),
 * ES256 or RS256 keys, the challenge kept as a SHA-256 per session for five minutes and spent once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { decodePKIXECDSASignature, decodeSEC1PublicKey, ECDSAPublicKey, p256, verifyECDSASignature } from '@oslojs/crypto/ecdsa';
import { decodePKCS1RSAPublicKey, RSAPublicKey, sha256ObjectIdentifier, verifyRSASSAPKCS1v15Signature } from '@oslojs/crypto/rsa';
import { sha256 } from '@oslojs/crypto/sha2';
import { decodeBase64, encodeBase64, encodeHexLowerCase, decodeHex } from '@oslojs/encoding';
import {
  AttestationStatementFormat,
  ClientDataType,
  coseAlgorithmES256,
  coseAlgorithmRS256,
  coseEllipticCurveP256,
  createAssertionSignatureMessage,
  parseAttestationObject,
  parseAuthenticatorData,
  parseClientDataJSON,
} from '@oslojs/webauthn';

export const CHALLENGE_TTL = 5 * 60 * 1000;

export const newChallenge = () => new Uint8Array(randomBytes(32));
export const challengeHash = (challenge: Uint8Array) => createHash('sha256').update(challenge).digest('hex');

/** Where the ceremony happens: the relying party's id (a host name) and the origins accepted in the browser's client data. */
export interface RelyingParty {
  id: string;
  origins: string[];
}

export function base64(text: string): Uint8Array | null {
  try {
    return text.length > 0 && text.length <= 20_000 ? decodeBase64(text) : null;
  } catch {
    return null;
  }
}

export { encodeBase64 };

export interface NewPasskey {
  credentialId: string;
  algorithm: number;
  publicKey: string;
  challengeHash: string;
}

/** A registration's attestation and client data, checked; null when anything does not hold. */
export function verifyRegistration(rp: RelyingParty, attestationB64: string, clientDataB64: string): NewPasskey | null {
  const attestation = base64(attestationB64);
  const clientDataJSON = base64(clientDataB64);
  if (!attestation || !clientDataJSON) return null;
  try {
    const { attestationStatement, authenticatorData } = parseAttestationObject(attestation);
    if (attestationStatement.format !== AttestationStatementFormat.None) return null;
    if (!authenticatorData.verifyRelyingPartyIdHash(rp.id) || !authenticatorData.userPresent || !authenticatorData.credential) return null;
    const clientData = parseClientDataJSON(clientDataJSON);
    if (clientData.type !== ClientDataType.Create || !rp.origins.includes(clientData.origin) || clientData.crossOrigin) return null;
    const key = authenticatorData.credential.publicKey;
    let publicKey: Uint8Array;
    if (key.algorithm() === coseAlgorithmES256) {
      const ec = key.ec2();
      if (ec.curve !== coseEllipticCurveP256) return null;
      publicKey = new ECDSAPublicKey(p256, ec.x, ec.y).encodeSEC1Uncompressed();
    } else if (key.algorithm() === coseAlgorithmRS256) {
      const rsa = key.rsa();
      publicKey = new RSAPublicKey(rsa.n, rsa.e).encodePKCS1();
    } else return null;
    return {
      credentialId: encodeBase64(authenticatorData.credential.id),
      algorithm: key.algorithm(),
      publicKey: encodeHexLowerCase(publicKey),
      challengeHash: challengeHash(clientData.challenge),
    };
  } catch {
    return null;
  }
}

/** A sign-in's assertion checked against the stored key; the challenge's hash when it holds (to spend it), else null. */
export function verifyAssertion(
  rp: RelyingParty,
  stored: { algorithm: number; publicKey: string },
  p: { authenticatorData: string; clientData: string; signature: string },
): string | null {
  const authenticatorData = base64(p.authenticatorData);
  const clientDataJSON = base64(p.clientData);
  const signature = base64(p.signature);
  if (!authenticatorData || !clientDataJSON || !signature) return null;
  try {
    const data = parseAuthenticatorData(authenticatorData);
    if (!data.verifyRelyingPartyIdHash(rp.id) || !data.userPresent) return null;
    const clientData = parseClientDataJSON(clientDataJSON);
    if (clientData.type !== ClientDataType.Get || !rp.origins.includes(clientData.origin) || clientData.crossOrigin) return null;
    const hash = sha256(createAssertionSignatureMessage(authenticatorData, clientDataJSON));
    const key = decodeHex(stored.publicKey);
    const valid =
      stored.algorithm === coseAlgorithmES256
        ? verifyECDSASignature(decodeSEC1PublicKey(p256, key), hash, decodePKIXECDSASignature(signature))
        : stored.algorithm === coseAlgorithmRS256 && verifyRSASSAPKCS1v15Signature(decodePKCS1RSAPublicKey(key), sha256ObjectIdentifier, hash, signature);
    return valid ? challengeHash(clientData.challenge) : null;
  } catch {
    return null;
  }
}

/** The browser side: unhides the passkey forms where WebAuthn exists and runs the two ceremonies (no library, ~50 lines). */
export const PASSKEY_SCRIPT = `(() => {
  if (!window.PublicKeyCredential) return;
  const b64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf)));
  const unb64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  const field = (form, name) => form.querySelector('[name="' + name + '"]');
  const options = async (form) => {
    const res = await fetch(form.dataset.options, { method: 'POST', headers: { 'x-csrf-token': field(form, '_csrf').value }, credentials: 'same-origin' });
    if (!res.ok) throw new Error('options');
    return res.json();
  };
  const run = (form, ceremony) => {
    if (!form) return;
    form.hidden = false;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      form.querySelector('.passkey-failed').hidden = true;
      try {
        await ceremony(form, await options(form));
        form.submit();
      } catch {
        form.querySelector('.passkey-failed').hidden = false;
      }
    });
  };
  run(document.getElementById('passkey-add'), async (form, o) => {
    const cred = await navigator.credentials.create({ publicKey: {
      challenge: unb64(o.challenge), rp: { id: o.rpId, name: 'partnerdesk' },
      user: { id: unb64(o.userId), name: o.userName, displayName: o.userDisplayName },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -257 }],
      attestation: 'none', authenticatorSelection: { userVerification: 'preferred' },
      excludeCredentials: o.credentials.map((id) => ({ type: 'public-key', id: unb64(id) })),
    } });
    field(form, 'attestation').value = b64(cred.response.attestationObject);
    field(form, 'clientData').value = b64(cred.response.clientDataJSON);
  });
  run(document.getElementById('passkey-signin'), async (form, o) => {
    const cred = await navigator.credentials.get({ publicKey: {
      challenge: unb64(o.challenge), rpId: o.rpId, userVerification: 'preferred',
      allowCredentials: o.credentials.map((id) => ({ type: 'public-key', id: unb64(id) })),
    } });
    field(form, 'credentialId').value = b64(cred.rawId);
    field(form, 'authenticatorData').value = b64(cred.response.authenticatorData);
    field(form, 'clientData').value = b64(cred.response.clientDataJSON);
    field(form, 'signature').value = b64(cred.response.signature);
  });
})();
`;

export const PASSKEY_SCRIPT_VERSION = createHash('sha256').update(PASSKEY_SCRIPT).digest('hex').slice(0, 12);
