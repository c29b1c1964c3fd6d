/** Anything shaped like `fetch`: the global one, Node's streaming client (node-stream.ts), or a test's. */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;
