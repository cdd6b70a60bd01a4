// A lightweight S3-protocol server (s3rver) on loopback for meet's
// object-storage tests: it stands in for AWS S3 or MinIO, which cannot run
// here. Usage: node server.mjs <data dir> <bucket>. It listens on a free
// port of 127.0.0.1, prints {"port": N} on one line once it accepts
// requests, and exits when its standard input closes (the Go test ends).
// The access key and secret are s3rver's built-in S3RVER / S3RVER.
import S3rver from "s3rver";

const [dir, bucket] = process.argv.slice(2);
if (!dir || !bucket) {
  console.error("usage: node server.mjs <data dir> <bucket>");
  process.exit(2);
}
const server = new S3rver({
  address: "127.0.0.1",
  port: 0,
  silent: true,
  directory: dir,
  configureBuckets: [{ name: bucket }],
});
const addr = await server.run();
process.stdout.write(JSON.stringify({ port: addr.port }) + "\n");
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
process.stdin.on("close", () => process.exit(0));
