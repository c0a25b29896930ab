// Email addresses as RFC 6531 allows them: a UTF-8 local part and an
// internationalized domain (`jdöe@mächine.example`). Only zod: the contract
// schemas use this, and they must stay loadable anywhere (the IDNA conversion
// is the WHATWG URL parser's, the same UTS #46 processing as node:url's).

import { z } from 'zod';

/** Letters, marks and digits of any script, plus the ASCII punctuation addresses use in practice. */
const LOCAL_ATOM = /^[\p{L}\p{M}\p{N}_'+-]+$/u;
/** What a domain may be written with before IDNA: letters, marks and digits of any script, dots, hyphens. */
const DOMAIN_CHARS = /^[\p{L}\p{M}\p{N}.-]+$/u;
const ASCII_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** A top-level domain: letters, or an internationalized one in its ASCII form. */
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

const utf8Length = (s: string) => new TextEncoder().encode(s).length;

/**
 * The domain in ASCII (IDNA, lower case), or undefined when it is no host
 * name mail can go to: no IP literals, at least two labels, a real TLD.
 */
export function asciiDomain(domain: string): string | undefined {
  if (!DOMAIN_CHARS.test(domain)) return undefined;
  let host: string;
  try {
    host = new URL(`http://${domain}/`).hostname;
  } catch {
    return undefined; // not a host name
  }
  const labels = host.split('.');
  if (host.length > 253 || labels.length < 2) return undefined;
  if (!labels.every((l) => ASCII_LABEL.test(l)) || !TLD.test(labels.at(-1)!)) return undefined;
  return host;
}

/**
 * Whether `address` is a mailbox the desk can write to: a dot-atom local part
 * of at most 64 octets (no quoted strings, no invisible or control
 * characters) and a valid, possibly internationalized, domain.
 */
export function isMailAddress(address: string): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0) return false;
  const local = address.slice(0, at);
  if (utf8Length(local) > 64 || !local.split('.').every((atom) => LOCAL_ATOM.test(atom))) return false;
  return asciiDomain(address.slice(at + 1)) !== undefined;
}

/**
 * An email address as people type it, internationalized ones included (RFC
 * 6531: `jdöe@mächine.example`): trimmed, at most 254 characters. Services
 * store and match it through normalizeEmail (customers.repository.ts).
 */
export const Email = z
  .string()
  .trim()
  .max(254)
  .refine(isMailAddress, { message: 'not a valid email address' })
  .meta({ format: 'idn-email' });
