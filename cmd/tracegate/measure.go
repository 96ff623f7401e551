package main

import (
	"tracegate"
	"tracegate/measure"
)

// openMeasures is the measure service over s.
func openMeasures(s interface {
	measure.Store
	tracegate.EnterpriseStore
	tracegate.ProductStore
}) (*measure.Service, error) {
	return measure.NewService(measure.Config{Enterprises: s, Products: s}, s)
}
