/** Seconds since `started` (a Date.now()), for the seed's progress lines. */
export const seconds = (started: number) => ((Date.now() - started) / 1000).toFixed(1);
