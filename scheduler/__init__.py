"""The reminder scheduler: decides what to remind whom and when (a plain library, no telegram import)."""
