package risk

// Stock is where the goods of a GTIN (and batch) are now (条码搜索引擎),
// from the label bindings: labels bound at intake and not dispatched are in
// stock at their warehouse; dispatched ones are on their way or, once the
// waybill's delivery is recorded, delivered.
type Stock struct {
	GTIN       string           `json:"gtin"`
	Batch      string           `json:"batch,omitempty"`
	Warehouses []StockWarehouse `json:"warehouses"`
	Dispatched int              `json:"dispatched"`
	Delivered  int              `json:"delivered"`
	// Holders are the enterprises holding goods in stock (the intake's
	// binder), by USCC.
	Holders []StockHolder `json:"holders"`
}

// StockWarehouse is one warehouse's stock of the goods.
type StockWarehouse struct {
	ID      string       `json:"id"` // the warehouse's location identifier
	Name    string       `json:"name"`
	InStock int          `json:"inStock"`
	Batches []StockBatch `json:"batches"`
}

// StockBatch is a batch's stock in one warehouse.
type StockBatch struct {
	Batch   string `json:"batch"`
	InStock int    `json:"inStock"`
}

// StockHolder is an enterprise holding some of the goods.
type StockHolder struct {
	USCC    string `json:"uscc"`
	Name    string `json:"name"`
	InStock int    `json:"inStock"`
}

// StockFilter asks the stock search: GTIN, optional batch, and the
// enterprise whose view it is (0: a regulator's, everything).
type StockFilter struct {
	GTIN, Batch string
	// HolderID limits the answer to goods the enterprise bound at intake
	// or owns by filing; 0 for all.
	HolderID int64
}
