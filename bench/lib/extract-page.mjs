/**
 * The benchmark's page: a 10,000-row product table served on 127.0.0.1, and the hand-written
 * baseline a developer would write for it (querySelectorAll over the rows, each cell's trimmed text).
 */
/* global document -- handWrittenLoop runs in the page */
import { createServer } from 'node:http';

export const COLUMNS = ['Id', 'Product name', 'SKU', 'Unit price (EUR)', 'Stock'];

export function tableHtml(rows) {
  const body = [];
  for (let i = 0; i < rows; i++) {
    body.push(`<tr class="row"><td>${i + 1}</td><td class="name">Product ${i + 1} <b>deluxe</b></td><td class="sku">SKU-${String(i).padStart(6, '0')}</td><td class="price">${((i * 37) % 10000) / 100}</td><td class="stock">${(i * 7) % 50}</td></tr>`);
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${rows} products</title></head><body>
<h1>${rows} products</h1>
<table id="products"><thead><tr>${COLUMNS.map((c) => `<th>${c}</th>`).join('')}</tr></thead>
<tbody>
${body.join('\n')}
</tbody></table></body></html>`;
}

/** Serves the table page at /table. */
export async function startTableServer(rows) {
  const html = tableHtml(rows);
  const server = createServer((req, res) => {
    if (req.url !== '/table') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/table`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/**
 * The baseline: what one would write by hand for this table. Self-contained (it is also injected
 * with chrome.scripting.executeScript), and returns the records like Ferry's extractor does.
 */
export function handWrittenLoop() {
  const records = [];
  for (const row of document.querySelectorAll('#products tbody tr')) {
    const cells = row.querySelectorAll('td');
    records.push({
      id: cells[0].textContent.trim(),
      productName: cells[1].textContent.trim(),
      sku: cells[2].textContent.trim(),
      unitPriceEur: cells[3].textContent.trim(),
      stock: cells[4].textContent.trim(),
    });
  }
  return records;
}

/** Ferry's rules for the same table: the table mode, and an itemSelector rule with one field per column. */
export const FERRY_RULES = {
  table: { table: '#products' },
  itemSelector: { itemSelector: '#products tbody tr', fields: { id: 'td:nth-child(1)', productName: 'td.name', sku: 'td.sku', unitPriceEur: 'td.price', stock: 'td.stock' } },
};
