// Package analytics sends product analytics events (who signed in, which
// rooms were created, who was admitted) to an analytics service without ever
// slowing or failing the request that produced them: events go into a
// bounded in-memory queue that a background worker drains in batches, with
// retries and backoff; when the queue is full the oldest event is dropped and
// counted.
//
// The only backend is PostHog's batch API (PostHog Cloud or a self-hosted
// instance); with no key configured nothing is built and nothing is sent.
//
// It imports only the standard library and the Prometheus client (for its
// queue metrics); never meet's domain packages or other adapters.
package analytics
