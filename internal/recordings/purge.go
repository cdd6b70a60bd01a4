package recordings

import (
	"context"
	"fmt"
)

// Purge deletes the recordings that have expired (MEET_RECORDING_EXPIRATION_DAYS)
// and are over, files first, and returns how many it deleted. It does
// nothing when recordings never expire. A recording whose files cannot be
// deleted is kept, to be tried again by the next purge.
func (s *Service) Purge(ctx context.Context) (int, error) {
	days := s.cfg.ExpirationDays
	if days <= 0 {
		return 0, nil
	}
	cutoff := s.now().AddDate(0, 0, -days)
	list, err := s.store.ListExpiredRecordings(ctx, cutoff)
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range list {
		r := &list[i]
		if err := s.files.Delete(ctx, r.Key()); err != nil {
			s.log.ErrorContext(ctx, "expired recording files not deleted", "recording_id", r.ID, "err", err)
			continue
		}
		if err := s.store.DeleteRecording(ctx, r.ID); err != nil {
			return n, fmt.Errorf("recordings: purge %s: %w", r.ID, err)
		}
		s.log.InfoContext(ctx, "expired recording purged", "recording_id", r.ID, "created_at", r.CreatedAt)
		n++
	}
	return n, nil
}
