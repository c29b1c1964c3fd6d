/**
 * The GelatoConnect orderReferenceId for an Infigo order: derived only from the
 * store and the Infigo order id, so every attempt to submit the same order names
 * it the same way and `preventDuplicate` can refuse a second copy. A deliberate
 * resubmission after GelatoConnect failed the order gets a visible suffix.
 */
export function orderReferenceId(storeId: string, infigoOrderId: number, resubmission = 0): string {
  const base = `PL-${storeId}-${infigoOrderId}`;
  return resubmission > 0 ? `${base}-R${resubmission}` : base;
}

export function resubmissionOf(ref: string): number {
  const m = /-R(\d+)$/.exec(ref);
  return m ? Number(m[1]) : 0;
}
