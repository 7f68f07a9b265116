// Team members' addresses as a manager pastes them: from a spreadsheet column, an email
// program's "To" line or typed by hand. Commas, semicolons, spaces and new lines all
// separate addresses, and `Name <address>` keeps only the address.
import { emailAddress } from '../lib/email-address.ts';

export interface InvalidInvitee {
  /** 1-based line of the pasted text, so the manager can find it. */
  line: number;
  text: string;
}

export interface InviteeList {
  /** Valid, lower-cased, each once, in the order first typed. */
  addresses: string[];
  invalid: InvalidInvitee[];
  /** How many repeated addresses were left out. */
  duplicates: number;
}

// `Name <address>` or `"Last, First" <address>`: the name may hold anything but the
// separators, unless it is quoted. Replaced by the bare address before splitting.
const NAMED_ADDRESS = /(?:"[^"]*"|[^,;<>"])*<([^<>]*)>/g;
const SEPARATORS = /[\s,;]+/;

export function parseInviteeList(text: string): InviteeList {
  const addresses: string[] = [];
  const seen = new Set<string>();
  const invalid: InvalidInvitee[] = [];
  let duplicates = 0;
  for (const [index, line] of text.split(/\r\n|\r|\n/).entries()) {
    const tokens = line.replace(NAMED_ADDRESS, ' $1 ').split(SEPARATORS).filter(Boolean);
    for (const token of tokens) {
      const parsed = emailAddress.safeParse(token);
      if (!parsed.success) {
        invalid.push({ line: index + 1, text: token });
      } else if (seen.has(parsed.data)) {
        duplicates++;
      } else {
        seen.add(parsed.data);
        addresses.push(parsed.data);
      }
    }
  }
  return { addresses, invalid, duplicates };
}
