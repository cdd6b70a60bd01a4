package httpapi

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"meet/internal/applications"
)

// routes lists every route of the server, one per line. Paths keep La Suite
// Meet's trailing slashes; {$} stops a pattern from matching sub-paths.
func (s *Server) routes() {
	m := routeTable{s} // records each pattern for the permission matrix test
	const api = "/api/v1.0"

	// Operations
	m.Handle("GET /healthz", handleHealth())
	m.Handle("GET /readyz", s.handleReady())
	m.Handle("GET /metrics", promhttp.HandlerFor(s.Registry, promhttp.HandlerOpts{}))

	// Configuration and users
	m.Handle("GET "+api+"/openapi.json", s.handleOpenAPI(s.openAPI))
	m.Handle("GET "+api+"/config/{$}", s.handleConfig())
	m.Handle("GET "+api+"/users/me/{$}", s.handleUserMe())
	m.Handle("GET "+api+"/users/{$}", s.throttleUser("user_lookup", userLookupPerMinute, time.Minute, s.handleUserList()))
	m.Handle("PUT "+api+"/users/me/{$}", methodNotAllowed{allow: "GET"})
	m.Handle("PATCH "+api+"/users/me/{$}", methodNotAllowed{allow: "GET"})
	m.Handle("PUT "+api+"/users/{id}/{$}", s.handleUserUpdate())
	m.Handle("PATCH "+api+"/users/{id}/{$}", s.handleUserUpdate())

	// Rooms
	m.Handle("GET "+api+"/rooms/{$}", s.handleRoomList())
	m.Handle("POST "+api+"/rooms/{$}", s.throttleUser("room_create", s.RoomCreationPerMinute, time.Minute, s.handleRoomCreate()))
	m.Handle("POST "+api+"/rooms/creation-callback/{$}", s.handleCreationCallback())
	for _, method := range []string{"GET", "PUT", "PATCH", "DELETE"} {
		m.Handle(method+" "+api+"/rooms/creation-callback/{$}", methodNotAllowed{allow: "POST"})
	}
	m.Handle("GET "+api+"/rooms/{id}/{$}", s.handleRoomRetrieve())
	m.Handle("GET "+api+"/rooms/{id}/preview/{$}", s.handleRoomPreview())
	m.Handle("PUT "+api+"/rooms/{id}/{$}", s.handleRoomUpdate(false))
	m.Handle("PATCH "+api+"/rooms/{id}/{$}", s.handleRoomUpdate(true))
	m.Handle("DELETE "+api+"/rooms/{id}/{$}", s.handleRoomDelete())
	m.Handle("POST "+api+"/rooms/{id}/invite/{$}", s.handleRoomInvite())
	if s.Participants != nil {
		m.Handle("POST "+api+"/rooms/{id}/remove-participant/{$}", s.handleRemoveParticipant())
		m.Handle("POST "+api+"/rooms/{id}/update-participant-role/{$}", s.handleUpdateParticipantRole())
	}
	if s.InCall != nil {
		m.Handle("POST "+api+"/rooms/{id}/toggle-hand/{$}", s.handleToggleHand())
		m.Handle("POST "+api+"/rooms/{id}/rename/{$}", s.handleRename())
		m.Handle("POST "+api+"/rooms/{id}/mute-participant/{$}", s.handleMuteParticipant())
		m.Handle("POST "+api+"/rooms/{id}/update-participant/{$}", s.handleUpdateParticipant())
		m.Handle("POST "+api+"/rooms/{id}/lower-hands/{$}", s.handleLowerHands())
	}
	if s.LiveKitSignal != nil {
		m.Handle("/rtc", s.LiveKitSignal)
		m.Handle("/rtc/", s.LiveKitSignal)
	}
	if s.LiveKitWebhook != nil {
		m.Handle("POST "+api+"/rooms/webhooks-livekit/{$}", s.LiveKitWebhook)
	}

	// Resource accesses
	m.Handle("GET "+api+"/resource-accesses/{$}", s.handleAccessList())
	m.Handle("POST "+api+"/resource-accesses/{$}", s.handleAccessCreate())
	m.Handle("GET "+api+"/resource-accesses/{id}/{$}", s.handleAccessRetrieve())
	m.Handle("PUT "+api+"/resource-accesses/{id}/{$}", s.handleAccessUpdate())
	m.Handle("PATCH "+api+"/resource-accesses/{id}/{$}", s.handleAccessUpdate())
	m.Handle("DELETE "+api+"/resource-accesses/{id}/{$}", s.handleAccessDelete())

	// Lobby
	if s.Lobby != nil {
		m.Handle("POST "+api+"/rooms/{id}/request-entry/{$}", s.handleRequestEntry())
		m.Handle("GET "+api+"/rooms/{id}/request-entry/stream/{$}", s.handleRequestEntryStream())
		m.Handle("GET "+api+"/rooms/{id}/waiting-participants/{$}", s.handleWaitingParticipants())
		m.Handle("GET "+api+"/rooms/{id}/waiting-participants/stream/{$}", s.handleWaitingParticipantsStream())
		m.Handle("POST "+api+"/rooms/{id}/enter/{$}", s.handleEnter())
	}

	// Diagnostics
	m.Handle("POST "+api+"/diagnostics/connection/{$}", s.handleConnectionTest())

	// Sign-in
	m.Handle("GET "+api+"/logout/{$}", s.handleLogout())
	m.Handle("POST "+api+"/logout/{$}", s.handleLogout())
	if s.OIDC != nil {
		m.Handle("GET "+api+"/authenticate/{$}", s.handleAuthenticate())
		m.Handle("GET "+api+"/callback/{$}", s.handleCallback())
		m.Handle("GET "+api+"/logout-callback/{$}", s.handleLogoutCallback())
		m.Handle("POST "+api+"/backchannel-logout/{$}", s.handleBackchannelLogout())
	}
	if s.FirstRun != nil {
		m.Handle("POST "+api+"/setup/{$}", s.handleFirstRun())
	}
	if s.LocalLogin != nil {
		m.Handle("POST "+api+"/local-login/{$}", s.handleLocalLogin())
		if s.OIDC == nil {
			m.Handle("GET "+api+"/authenticate/{$}", s.handleAuthenticateLocal())
		}
	}

	// Recordings
	m.Handle("POST "+api+"/rooms/{id}/start-recording/{$}", s.handleRecordingStart())
	m.Handle("POST "+api+"/rooms/{id}/stop-recording/{$}", s.handleRecordingStop())
	m.Handle("GET "+api+"/recordings/{$}", s.handleRecordingList())
	m.Handle("GET "+api+"/recordings/media-auth/{$}", s.handleRecordingMediaAuth())
	m.Handle("POST "+api+"/recordings/storage-hook/{$}", s.handleRecordingStorageHook())
	m.Handle("POST "+api+"/recordings/external-process-hook/{$}", s.handleRecordingExternalProcessHook())
	m.Handle("GET "+api+"/recordings/{id}/{$}", s.handleRecordingRetrieve())
	m.Handle("DELETE "+api+"/recordings/{id}/{$}", s.handleRecordingDelete())
	m.Handle("GET "+api+"/recordings/{id}/download/{$}", s.handleRecordingDownload())

	// External API: applications acting for users, with delegated tokens
	if s.External != nil {
		const ext = externalPrefix
		m.Handle("POST "+ext+"/application/token/{$}", s.handleApplicationToken())
		m.Handle("GET "+ext+"/rooms/{$}", s.requireDelegation(applications.ScopeRoomsList, s.handleExternalRoomList()))
		m.Handle("POST "+ext+"/rooms/{$}", s.requireDelegation(applications.ScopeRoomsCreate, s.handleExternalRoomCreate()))
		m.Handle("GET "+ext+"/rooms/{id}/{$}", s.requireDelegation(applications.ScopeRoomsRetrieve, s.handleExternalRoomRetrieve()))
	}
}

var _ http.Handler = (*Server)(nil)
