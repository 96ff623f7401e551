package measure

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"tracegate"
)

// ExportColumns are the columns of a scope export, in order: stable names
// other systems sort and filter by (FSMA 204's sortable spreadsheet is the
// model), one row per item after the header row. label is the item's EPCIS
// identity (urn:tracegate:label:…), never its code.
var ExportColumns = []string{"gtin", "product", "batch", "warehouse", "status", "ebp_code", "order_no",
	"logistics_code", "waybill_no", "consignee", "consignee_phone", "consignee_address", "label"}

// ExportFormat is a file format of a scope export.
type ExportFormat string

// The export formats.
const (
	CSV  ExportFormat = "csv"
	XLSX ExportFormat = "xlsx"
)

// ContentType is the media type of f.
func (f ExportFormat) ContentType() string {
	if f == XLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// ParseExportFormat checks a format name; it fails with EINVALID pointing
// at pointer.
func ParseExportFormat(s, pointer string) (ExportFormat, error) {
	switch ExportFormat(s) {
	case CSV, XLSX:
		return ExportFormat(s), nil
	}
	return "", tracegate.Invalidf(pointer, `format must be "csv" or "xlsx"`)
}

// exportRow writes the export columns of it into row (len(ExportColumns)).
func exportRow(row []string, it *ScopeItem, st ItemStatus, epc func([32]byte) string) {
	row[0], row[1], row[2], row[3], row[4] = it.GTIN, it.Product, it.Batch, it.Warehouse, string(st)
	if st == InStock { // an order bound after the scope's time is not shown
		row[5], row[6], row[7], row[8], row[9], row[10], row[11] = "", "", "", "", "", "", ""
	} else {
		row[5], row[6], row[7], row[8] = it.EBPCode, it.OrderNo, it.LogisticsCode, it.WaybillNo
		row[9], row[10], row[11] = it.Consignee, it.ConsigneePhone, it.ConsigneeAddress
	}
	row[12] = epc(it.Hash)
}

// Export writes the scope q, as v may see it, to w in format f:
// a header row, then one row per item, streamed (a CSV row at a time; the
// XLSX sheet through excelize's stream writer, which spills to a temporary
// file past a few megabytes). progress, when set, is called with the
// number of rows written every 10,000 rows. epc names an item by its hash
// (label.EPC). It fails as Each does, or with the writer's error.
func Export(ctx context.Context, s ScopeStore, q ScopeQuery, v Viewer, f ExportFormat,
	w io.Writer, epc func([32]byte) string, progress func(int)) error {
	if f == XLSX {
		return exportXLSX(ctx, s, q, v, w, epc, progress)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	cw := csv.NewWriter(bw)
	if err := cw.Write(ExportColumns); err != nil {
		return err
	}
	row := make([]string, len(ExportColumns))
	n := 0
	err := Each(ctx, s, q, v, func(it *ScopeItem, st ItemStatus) error {
		exportRow(row, it, st, epc)
		n++
		if progress != nil && n%10_000 == 0 {
			progress(n)
		}
		return cw.Write(row)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func exportXLSX(ctx context.Context, s ScopeStore, q ScopeQuery, v Viewer, w io.Writer,
	epc func([32]byte) string, progress func(int)) error {
	book := excelize.NewFile()
	defer book.Close()
	const sheet = "scope"
	if err := book.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("measure: xlsx: %w", err)
	}
	sw, err := book.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("measure: xlsx: %w", err)
	}
	cells := make([]any, len(ExportColumns))
	for i, c := range ExportColumns {
		cells[i] = c
	}
	if err := sw.SetRow("A1", cells, excelize.RowOpts{}); err != nil {
		return fmt.Errorf("measure: xlsx: %w", err)
	}
	row := make([]string, len(ExportColumns))
	n := 1
	err = Each(ctx, s, q, v, func(it *ScopeItem, st ItemStatus) error {
		exportRow(row, it, st, epc)
		for i := range row {
			cells[i] = row[i]
		}
		n++
		if progress != nil && (n-1)%10_000 == 0 {
			progress(n - 1)
		}
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, cells)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("measure: xlsx: %w", err)
	}
	_, err = book.WriteTo(w)
	return err
}
