/**
 * Starting points for a new pipeline, one per kind of destination, written as a user would paste
 * them (comments say what to change). Each parses as it is, so the editor opens without problems.
 */
export interface Starter {
  id: string;
  label: string;
  description: string;
  text: string;
}

const header = (id: string, name: string) => `{
  "version": 1,
  "id": "${id}",
  "name": "${name}",
  // Pages this pipeline is offered on in the popup (remove to offer it everywhere).
  "match": ["https://*/*"],
  // Records come from the page: the first table with a header row, microdata or JSON-LD.
  "source": { "type": "supplied" },
  "steps": [`;

export const STARTERS: Starter[] = [
  {
    id: 'rest',
    label: 'Page → REST API',
    description: 'POST each record to an HTTP endpoint, with retries and a circuit breaker.',
    text: `${header('page-to-api', 'Page → REST API')}
    {
      "dataTransformation": {
        "mapping": { "title": "{{extracted.title}}", "url": "{{source.url}}", "capturedAt": "{{now()}}" },
        "validation": { "required": ["title"] }
      }
    },
    {
      "http": {
        "method": "POST",
        // Your API; {{env.API_BASE}} reads an environment variable set under Credentials.
        "url": "https://api.example.com/v1/items",
        "headers": { "Content-Type": "application/json" },
        "body": "{{transformedData}}",
        "timeout": 10000
      },
      "retryStrategy": { "maxAttempts": 3, "backoffType": "exponential", "baseDelay": 1000 },
      "circuitBreaker": { "failureThreshold": 5, "resetTimeout": 30000, "fallbackAction": "queue" }
    }
  ]
}
`,
  },
  {
    id: 'sqlite',
    label: 'Page → SQLite',
    description: "Insert each record into a table of the native host's embedded SQLite database.",
    text: `${header('page-to-sqlite', 'Page → SQLite')}
    {
      "database": {
        "operation": "insert",
        "table": "extracted_data",
        // One row per record; the table is created from the rows' shape the first time.
        "data": { "url": "{{source.url}}", "title": "{{extracted.title}}", "extracted_at": "{{timestamp}}" },
        "onConflict": "ignore"
      }
    }
  ]
}
`,
  },
  {
    id: 'csv',
    label: 'Page → CSV file',
    description: 'Write the records to a CSV file inside a folder granted to the native host.',
    text: `${header('page-to-csv', 'Page → CSV file')}
    {
      "file": {
        "operation": "write",
        // Relative paths land in the host's default granted folder (npx ferry-host roots add <folder>).
        "filePath": "./exports/records-{{date}}.csv",
        "format": "csv",
        "append": true,
        "createDirectories": true
      }
    }
  ]
}
`,
  },
];
