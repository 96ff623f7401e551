package customs

import "tracegate"

// ParseValidated reads one message from data as ParseMessage does and
// checks it as ValidateXML does, parsing the XML once, and checks its
// country fields (country, tradeCountry) against the customs country table
// (see LookupCountry): the message is
// accepted when it conforms to any of versions (tried in order), and
// otherwise the first version's problems are returned. It fails with the
// errors of ParseMessage, then those of ValidateXML; with EINVALID when no
// version is given.
func ParseValidated(data []byte, versions ...Version) (Message, error) {
	if len(data) > MaxMessageSize {
		return nil, tracegate.Errorf(tracegate.ETOOLARGE, "a CEB message is at most %d bytes", MaxMessageSize)
	}
	if len(versions) == 0 {
		return nil, tracegate.Invalidf("/version", "no XSD version to validate against")
	}
	root, err := parseDocument(data)
	if err != nil {
		return nil, err
	}
	m, err := decodeMessage(root)
	if err != nil {
		return nil, err
	}
	var first error
	for _, v := range versions {
		err := validateTreeWith(root, v, true)
		if err == nil {
			return m, nil
		}
		if first == nil {
			first = err
		}
	}
	return nil, first
}
