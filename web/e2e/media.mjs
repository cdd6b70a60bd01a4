// Checks that a page really decodes remote video, not just that a tile exists.

/** waitForRemoteVideo waits until `count` remote camera tiles show decoding video. */
export async function waitForRemoteVideo(page, count = 1, timeout = 20_000) {
  await page.waitForFunction(
    (n) => {
      const vids = [...document.querySelectorAll('.lk-participant-tile[data-lk-local-participant="false"] video')];
      return vids.filter((v) => v.videoWidth > 0 && v.readyState >= 2).length >= n;
    },
    count,
    { timeout },
  );
  // Frames must keep coming: currentTime advances and requestVideoFrameCallback fires.
  return page.evaluate(async () => {
    const vids = [...document.querySelectorAll('.lk-participant-tile[data-lk-local-participant="false"] video')].filter(
      (v) => v.videoWidth > 0,
    );
    return Promise.all(
      vids.map(async (v) => {
        const t0 = v.currentTime;
        const frames = await new Promise((resolve) => {
          let n = 0;
          const tick = () => {
            n++;
            if (n < 5) v.requestVideoFrameCallback(tick);
            else resolve(n);
          };
          v.requestVideoFrameCallback(tick);
          setTimeout(() => resolve(n), 3000);
        });
        return { width: v.videoWidth, height: v.videoHeight, advanced: v.currentTime - t0, frames };
      }),
    );
  });
}

export function assertDecoding(label, stats) {
  if (stats.length === 0) throw new Error(`${label}: no remote video`);
  for (const s of stats) {
    // Background pages on a loaded machine composite few frames: two callbacks
    // plus an advancing clock prove decoding.
    if (!(s.width > 0 && s.advanced > 0 && s.frames >= 2)) {
      throw new Error(`${label}: remote video not decoding: ${JSON.stringify(s)}`);
    }
  }
}
