package apps

// Problem names what is wrong with one field, precisely enough for a
// page to say it in the reader's language: FieldError.Code groups
// problems (every Problem has one Code), Problem tells them apart, and
// Detail carries the values the sentence needs.
type Problem string

// The problems of a publiccode.yml and of the catalogue's forms, with
// the Detail fields each one fills.
const (
	Required          Problem = "required"            // a required field is missing or empty
	EmptyFile         Problem = "empty_file"          // the file holds nothing
	EmptyList         Problem = "empty_list"          // a required list has no item
	EmptyItem         Problem = "empty_item"          // an item of a list is empty
	WantMapping       Problem = "want_mapping"        // Found
	WantString        Problem = "want_string"         // Found
	WantList          Problem = "want_list"           // Found
	WantBool          Problem = "want_bool"           // Found
	MergeWantsMapping Problem = "merge_wants_mapping" // a merge key (<<) names something else
	MergeTooDeep      Problem = "merge_too_deep"      // Max
	DuplicateKey      Problem = "duplicate_key"       // FirstLine
	TooLong           Problem = "too_long"            // N characters, at most Max
	LengthOutside     Problem = "length_outside"      // N characters, Min to Max
	TooMany           Problem = "too_many"            // N items (0 when unknown), at most Max
	NotOneOf          Problem = "not_one_of"          // Value, Allowed
	NotURL            Problem = "not_url"             // Value
	NotWebURL         Problem = "not_web_url"         // Value
	NotDate           Problem = "not_date"            // Value
	UnknownVersion    Problem = "unknown_version"     // Value
	UnknownCategory   Problem = "unknown_category"    // Value
	BadLanguage       Problem = "bad_language"        // Value
	NoDescription     Problem = "no_description"      // no language described
	NoLongDescription Problem = "no_long_description" // in no language
	NoFeatures        Problem = "no_features"         // in no language
	BadLicence        Problem = "bad_licence"         // Value
	NotOSI            Problem = "not_osi"             // Value: the licence
	NoMaintenance     Problem = "no_maintenance"      // maintenance.type is none
	FileTooLarge      Problem = "file_too_large"      // Max KiB
	TooManyEntries    Problem = "too_many_entries"    // N, Max
	Syntax            Problem = "syntax"              // malformed YAML (at Line)
	ManyDocuments     Problem = "many_documents"      // more than one YAML document
	TooDeep           Problem = "too_deep"            // Max levels
	AliasCycle        Problem = "alias_cycle"         // an alias contains itself
	AliasGrowth       Problem = "alias_growth"        // Max nodes
	OneLine           Problem = "one_line"            // N characters or a line break, one line of at most Max
	BadFileName       Problem = "bad_file_name"       // Max characters, no / or \
	DuplicateName     Problem = "duplicate_name"      // Value: two files have it
	BadMediaType      Problem = "bad_media_type"      // Value
	NoContent         Problem = "no_content"          // a file is empty
)

// Detail is what a page needs to say a problem in its own words. Only
// the fields its Problem names are set.
type Detail struct {
	Problem Problem
	// Value is the value as written, when the value is the problem.
	Value string
	// Allowed are the values accepted, for NotOneOf.
	Allowed []string
	// Found is what was written where another kind was wanted: mapping,
	// list, boolean, number, string or nothing.
	Found string
	// N is the count found (characters, items); Min and Max the bounds.
	N, Min, Max int
	// FirstLine is where a key written twice was first written.
	FirstLine int
}
