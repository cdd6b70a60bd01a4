package httpapi

import (
	"net/http"

	"meet/internal/auth"
	"meet/internal/rooms"
)

// previewPerMinute caps the room previews one user or client address may
// ask for a minute: a prejoin screen refreshes its preview every few
// seconds, and the cap keeps the endpoint from being a cheap way to watch
// many calls.
const previewPerMinute = 30

// previewBody is the JSON of rooms/{id}/preview/.
type previewBody struct {
	// Admission is "direct" when the caller joins straight away, "lobby"
	// when someone must let them in.
	Admission         string            `json:"admission"`
	ParticipantsCount int               `json:"participants_count"`
	Participants      []string          `json:"participants"`
	Recording         *previewRecording `json:"recording"`
	AccessLevel       rooms.AccessLevel `json:"access_level"`
}

type previewRecording struct {
	Mode   string `json:"mode"`
	Status string `json:"status"`
}

// handleRoomPreview is GET rooms/{id}/preview/, a meet addition for the
// prejoin screen: whether the caller will have to ask to join, how many
// people are in the call (their names only for those who may join
// directly), and the recording in progress, so that nobody enters a recorded
// call unaware. It issues no token and changes nothing.
func (s *Server) handleRoomPreview() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		if err := s.throttle(r, "room_preview", previewPerMinute); err != nil {
			return err
		}
		pv, err := s.Rooms.Preview(r.Context(), auth.FromContext(r.Context()), r.PathValue("id"))
		if err != nil {
			return err
		}
		body := previewBody{Admission: "lobby", ParticipantsCount: pv.Count, Participants: pv.Names, AccessLevel: rooms.Public}
		if pv.Direct {
			body.Admission = "direct"
		}
		if body.Participants == nil {
			body.Participants = []string{}
		}
		if pv.Room != nil {
			body.AccessLevel = pv.Room.AccessLevel
			rec, err := s.Recordings.InProgress(r.Context(), pv.Room.ID)
			if err != nil {
				return err
			}
			if rec != nil {
				body.Recording = &previewRecording{Mode: string(rec.Mode), Status: string(rec.Status)}
			}
		}
		writeJSON(w, http.StatusOK, body)
		return nil
	})
}
