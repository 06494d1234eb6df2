package web

import "strings"

// CSVCell keeps a spreadsheet from reading a text cell of a CSV export
// as a formula (CSV injection): a cell starting with =, +, -, @, a tab
// or a carriage return gets a leading apostrophe. Numbers the export
// writes itself need not pass through it.
func CSVCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
