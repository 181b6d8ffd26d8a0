/** What agents read in a private note when their message did not reach WhatsApp quite as they sent it. */

export function quoteDroppedNote(helpdeskMessageId: number): string {
  return `⚠️ Message #${helpdeskMessageId} went to WhatsApp without its quote: WhatsApp no longer has the quoted message (deleted, or not a WhatsApp message).`;
}

export function revokedForMeOnlyNote(helpdeskMessageId: number): string {
  return `⚠️ Message #${helpdeskMessageId} was NOT deleted for the customer: WhatsApp's time limit for deleting for everyone has passed, so it was deleted on this WhatsApp device only and the customer still has it.`;
}
