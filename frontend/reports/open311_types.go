package reports

import (
	"encoding/json"
	"encoding/xml"
)

// The documents of Open311 GeoReport v2, in JSON and in XML. A list is a
// bare array in JSON and a named root holding its elements in XML.

type o311Endpoint struct {
	Specification string   `json:"specification" xml:"specification"`
	URL           string   `json:"url" xml:"url"`
	Changeset     string   `json:"changeset" xml:"changeset"`
	Type          string   `json:"type" xml:"type"`
	Formats       []string `json:"formats" xml:"formats>format"`
}

type o311Discovery struct {
	XMLName    xml.Name       `json:"-" xml:"discovery"`
	Changeset  string         `json:"changeset" xml:"changeset"`
	Contact    string         `json:"contact" xml:"contact"`
	KeyService string         `json:"key_service" xml:"key_service"`
	Endpoints  []o311Endpoint `json:"endpoints" xml:"endpoints>endpoint"`
}

type o311Service struct {
	ServiceCode string `json:"service_code" xml:"service_code"`
	ServiceName string `json:"service_name" xml:"service_name"`
	Description string `json:"description" xml:"description"`
	Metadata    bool   `json:"metadata" xml:"metadata"`
	Type        string `json:"type" xml:"type"`
	Keywords    string `json:"keywords" xml:"keywords"`
	Group       string `json:"group" xml:"group"`
}

type o311Services struct {
	XMLName xml.Name      `json:"-" xml:"services"`
	Items   []o311Service `xml:"service"`
}

func (l o311Services) MarshalJSON() ([]byte, error) { return json.Marshal(nonNil(l.Items)) }

type o311Attribute struct {
	Variable    bool   `json:"variable" xml:"variable"`
	Code        string `json:"code" xml:"code"`
	Datatype    string `json:"datatype" xml:"datatype"`
	Required    bool   `json:"required" xml:"required"`
	Description string `json:"description" xml:"description"`
	Order       int    `json:"order" xml:"order"`
}

type o311Definition struct {
	XMLName     xml.Name        `json:"-" xml:"service_definition"`
	ServiceCode string          `json:"service_code" xml:"service_code"`
	Attributes  []o311Attribute `json:"attributes" xml:"attributes>attribute"`
}

type o311Request struct {
	ServiceRequestID  string   `json:"service_request_id" xml:"service_request_id"`
	Status            string   `json:"status" xml:"status"`
	StatusNotes       string   `json:"status_notes" xml:"status_notes"`
	ServiceName       string   `json:"service_name" xml:"service_name"`
	ServiceCode       string   `json:"service_code" xml:"service_code"`
	Description       string   `json:"description" xml:"description"`
	AgencyResponsible string   `json:"agency_responsible" xml:"agency_responsible"`
	ServiceNotice     string   `json:"service_notice" xml:"service_notice"`
	RequestedDatetime string   `json:"requested_datetime" xml:"requested_datetime"`
	UpdatedDatetime   string   `json:"updated_datetime" xml:"updated_datetime"`
	ExpectedDatetime  string   `json:"expected_datetime" xml:"expected_datetime"`
	Address           string   `json:"address" xml:"address"`
	AddressID         string   `json:"address_id" xml:"address_id"`
	Zipcode           string   `json:"zipcode" xml:"zipcode"`
	Lat               *float64 `json:"lat,omitempty" xml:"lat,omitempty"`
	Long              *float64 `json:"long,omitempty" xml:"long,omitempty"`
	MediaURL          string   `json:"media_url" xml:"media_url"`
}

type o311Requests struct {
	XMLName xml.Name      `json:"-" xml:"service_requests"`
	Items   []o311Request `xml:"request"`
}

func (l o311Requests) MarshalJSON() ([]byte, error) { return json.Marshal(nonNil(l.Items)) }

type o311Created struct {
	ServiceRequestID string `json:"service_request_id" xml:"service_request_id"`
	ServiceNotice    string `json:"service_notice" xml:"service_notice"`
	AccountID        string `json:"account_id" xml:"account_id"`
}

type o311CreatedList struct {
	XMLName xml.Name      `json:"-" xml:"service_requests"`
	Items   []o311Created `xml:"request"`
}

func (l o311CreatedList) MarshalJSON() ([]byte, error) { return json.Marshal(nonNil(l.Items)) }

type o311Token struct {
	ServiceRequestID string `json:"service_request_id" xml:"service_request_id"`
	Token            string `json:"token" xml:"token"`
}

type o311Tokens struct {
	XMLName xml.Name    `json:"-" xml:"service_requests"`
	Items   []o311Token `xml:"request"`
}

func (l o311Tokens) MarshalJSON() ([]byte, error) { return json.Marshal(nonNil(l.Items)) }

type o311Error struct {
	Code        int    `json:"code" xml:"code"`
	Description string `json:"description" xml:"description"`
}

type o311Errors struct {
	XMLName xml.Name    `json:"-" xml:"errors"`
	Items   []o311Error `xml:"error"`
}

func (l o311Errors) MarshalJSON() ([]byte, error) { return json.Marshal(nonNil(l.Items)) }

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
