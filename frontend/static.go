package frontend

import "embed"

//go:embed static
var staticFiles embed.FS
