export function tooOldMessage(found: string, engines: string): string | null;
