// Package apps is the node's catalogue of municipal free software: apps
// described by their publiccode.yml (standard v0.4; 0.2 and 0.3 read
// alike), their releases and downloadable artifacts (in the blob store),
// logos and screenshots, the review that leads to certification, and the
// cities that use each app (publiccode.yml's usedBy, kept live).
//
// Apps published here are local. Apps federation brings from other
// nodes keep their origin (OriginActor, OriginNode, RemoteID) and change
// only through federation: the methods that edit an app refuse them with
// ErrRemote. Every change is recorded in the outbox, in the transaction
// of the change, in the node's name (no person): object types "app"
// (create, update, delete: publication, new file, review, certification,
// deprecation, images, usedBy), "release" (create) and "adoption"
// (create, update, delete, for adoptions recorded here, which federation
// tells the publishing node).
//
// Choices made here:
//
//   - YAML is read with go.yaml.in/yaml/v3 into a node tree, never into
//     Go values directly, so that every problem has a path and a line.
//     yaml.v3 refuses "excessive aliasing" only when it decodes into
//     values; for the tree, Parse counts what aliases would add (linear
//     time, memoised) and refuses past 10,000 nodes. It also refuses,
//     before parsing, a file whose separators announce more than 100,000
//     nodes, and any file over 1 MiB without reading the rest.
//   - Licences: github.com/github/go-spdx/v2 checks the SPDX expression
//     (SPDX License List 3.29.0). It does not know which licences the OSI
//     approved, so osi_licences.txt, taken from the same list's
//     isOsiApproved flags, says so; an expression is OSI-approved when it
//     can be satisfied with approved licences alone (exceptions ignored).
//   - Who curates: accounts has no "catalogue steward" role yet and
//     refuses roles outside its list, so Options.MayCurate decides, by
//     default admins and the node itself (the command line). When
//     accounts gains the role, the wiring passes a func that accepts it.
//   - Filters with several values per app (categories, platforms,
//     licences named in the expression, languages and their primary
//     subtags) are rows of app_tags, indexed by (kind, value); the apps
//     row also keeps them as JSON for display. Text search is a LIKE on a
//     folded copy of names and descriptions (search_text): a catalogue
//     holds hundreds of apps, not millions, and it reads the same on
//     SQLite and PostgreSQL.
//   - Blobs are written before the transaction that records them (an
//     upload may take minutes; SQLite would hold every writer back), and
//     removed when that transaction fails, unless other rows use the same
//     content (the store is content-addressed).
//   - Images are PNG, JPEG or WebP, told by their bytes. SVG is refused
//     until a sanitiser serves it safely.
//   - A deleted app keeps its row (its address answers "gone", federation
//     sends a Tombstone) but loses its releases, files, images, tags and
//     adoptions; its repository may be published again.
package apps
