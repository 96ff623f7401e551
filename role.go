package tracegate

import (
	"fmt"
	"strings"
)

// Role is what an enterprise does in the supply chain, and what an API key
// may act as.
type Role string

// The roles of DOMAIN.md.
const (
	RolePlatform     Role = "platform"     // 电商平台 (ebp)
	RoleEcommerce    Role = "ecommerce"    // 电商企业 (ebc)
	RoleLogistics    Role = "logistics"    // 物流企业
	RoleWarehouse    Role = "warehouse"    // 监管场所经营人 / bonded warehouse
	RolePayment      Role = "payment"      // 支付企业
	RoleManufacturer Role = "manufacturer" // 生产企业 / brand owner
	RoleImporter     Role = "importer"     // 境内代理人
	RoleLab          Role = "lab"          // 检测机构
	RoleRegulator    Role = "regulator"    // 海关 / 检验检疫
)

// Roles lists every role in a fixed order.
var Roles = []Role{RolePlatform, RoleEcommerce, RoleLogistics, RoleWarehouse, RolePayment,
	RoleManufacturer, RoleImporter, RoleLab, RoleRegulator}

// ParseRole returns the role named s (case-insensitive). It fails with
// EINVALID for an unknown name.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	for _, known := range Roles {
		if r == known {
			return r, nil
		}
	}
	return "", Invalidf("", "unknown role %q (want one of %s)", s, roleNames())
}

// ParseRoles parses a comma-separated list of roles, rejecting unknown and
// repeated ones and an empty list.
func ParseRoles(s string) ([]Role, error) {
	var out []Role
	seen := map[Role]bool{}
	for i, part := range strings.Split(s, ",") {
		r, err := ParseRole(part)
		if err != nil {
			return nil, Invalidf(fmt.Sprintf("/roles/%d", i), "unknown role %q (want one of %s)", part, roleNames())
		}
		if seen[r] {
			return nil, Invalidf(fmt.Sprintf("/roles/%d", i), "role %q given twice", r)
		}
		seen[r] = true
		out = append(out, r)
	}
	return out, nil
}

func roleNames() string {
	names := make([]string, len(Roles))
	for i, r := range Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}
