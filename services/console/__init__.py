"""The web console the gateway serves under /console (docs/console.md)."""
