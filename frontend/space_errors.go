package frontend

import (
	"net/http"

	"agora/instances/spaces"
)

// The errors of instances/spaces, told to the reader; asError and fieldOf
// read them from domainErrors.
func init() {
	domainErrors = append(domainErrors, []domainError{
		{spaces.ErrNotFound, http.StatusNotFound, "space.error.not_found", ""},
		{spaces.ErrForbidden, http.StatusForbidden, "error.role", ""},
		{spaces.ErrSlug, http.StatusBadRequest, "space.error.slug", "slug"},
		{spaces.ErrSlugTaken, http.StatusConflict, "space.error.slug_taken", "slug"},
		{spaces.ErrTitle, http.StatusBadRequest, "space.error.title", "title"},
		{spaces.ErrDescription, http.StatusBadRequest, "space.error.description", "description"},
		{spaces.ErrKind, http.StatusBadRequest, "space.error.kind", "kind"},
		{spaces.ErrPhases, http.StatusBadRequest, "space.error.phases", "phases"},
		{spaces.ErrCategories, http.StatusBadRequest, "space.error.categories", "categories"},
		{spaces.ErrLimits, http.StatusBadRequest, "space.error.limits", "limits"},
	}...)
}
