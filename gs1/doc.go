// Package gs1 handles GS1 identification keys and GS1 Digital Link URIs:
// check digits, the Application Identifier (AI) table, element strings,
// Digital Link parsing and generation, EPC URN conversion and the GS1
// prefix table.
//
// The AI table is not typed in by hand: it is read, on first use, from the
// embedded GS1 Barcode Syntax Dictionary (gs1-syntax-dictionary.txt, copied
// from github.com/gs1/gs1-syntax-dictionary). Formats, lengths, linters,
// Digital Link primary keys and their qualifiers (dlpkey), data-attribute
// eligibility (the "?" flag) and the req=/ex= pairing rules all come from it.
//
// Digital Link handling follows the GS1 Digital Link standard and the
// behaviour of the GS1 Barcode Syntax Engine (the vectors in
// testdata/digital-link are taken from its test suite): any http or
// https URI, any host, any path prefix before the rightmost primary key.
//
// Every failure is a *Error whose Rule names the broken rule and whose AI
// names the Application Identifier concerned, when there is one.
//
// The package is pure: it does no I/O beyond reading its embedded files.
//
// SPEC: https://ref.gs1.org/standards/genspecs/ (GS1 General Specifications, check digits and AIs)
// SPEC: https://ref.gs1.org/standards/digital-link/ (GS1 Digital Link URI syntax)
// SPEC: https://ref.gs1.org/tools/gs1-barcode-syntax-resource/syntax-dictionary/ (Barcode Syntax Dictionary)
// SPEC: https://ref.gs1.org/standards/tds/ (EPC Tag Data Standard, EPC URNs)
// SPEC: https://www.gs1.org/standards/id-keys/company-prefix (GS1 prefixes)
package gs1
