"""Reading reports: files and JSONL collections opened without trusting them, dates, ids."""
