/**
 * warmUpWebRTC gathers ICE candidates once on a throw-away peer connection.
 *
 * The first candidate gathering of a page makes the browser enumerate network
 * interfaces, which takes a few hundred milliseconds on a busy machine. Doing
 * it while the person is still on the prejoin screen or in the lobby takes
 * that time off the moment they are let in. Nothing leaves the machine: no
 * ICE servers are configured, so only host candidates are gathered.
 */
export async function warmUpWebRTC(timeoutMs = 3000): Promise<void> {
  if (typeof RTCPeerConnection === 'undefined') return;
  const pc = new RTCPeerConnection({ iceServers: [] });
  try {
    pc.createDataChannel('warm-up');
    const gathered = new Promise<void>((done) => {
      const timer = setTimeout(done, timeoutMs);
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') {
          clearTimeout(timer);
          done();
        }
      });
    });
    await pc.setLocalDescription(await pc.createOffer());
    await gathered;
  } catch {
    // Only an optimisation: the call sets up its own connection either way.
  } finally {
    pc.close();
  }
}
