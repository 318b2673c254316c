"""StartStreamTranscription: HTTP/2 and WebSocket front ends over one streaming recognition session."""
