// Package as2 turns Agora's things into ActivityStreams 2.0 documents, and
// the activities other servers send into a small normalised form.
//
// Rendering builds go-fed's streams values (github.com/go-fed/activity
// v1.0.0) and serialises them with streams.Serialize. What go-fed has no
// vocabulary for (Agora's own terms under Namespace, endpoints,
// manuallyApprovesFollowers, Lemmy's postingRestrictedToMods, Hashtag) is
// added to the serialised map, which is plain data, before json.Marshal;
// Doc carries those extras next to the go-fed value.
//
// Parsing reads the JSON into a map and walks it by hand. It does not go
// through streams.ToType: go-fed refuses a document without @context (Lemmy's
// own fixtures have none), a type it does not know (EmojiReact,
// ChatMessage) and a property of an unexpected shape, all of which real
// servers send. Tests use streams.ToType on what this package renders.
package as2
