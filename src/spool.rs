//! A list too long to hold: entries written as JSON lines to a temporary
//! file as they come, and read back once, in order, when the list is
//! serialised. The coverage file's tables and inputs grow with the number
//! of files scanned (200,000 CSV files took 360 MB held in memory); spooled,
//! memory stays flat.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde::ser::{Error as _, SerializeSeq};
use serde::{Serialize, Serializer};

/// Entries of type `T`, spooled to an anonymous temporary file made on
/// the first push. Clones share the file.
#[derive(Debug)]
pub struct Spool<T> {
    file: Option<Arc<Mutex<BufWriter<File>>>>,
    len: u64,
    of: PhantomData<fn() -> T>,
}

impl<T> Default for Spool<T> {
    fn default() -> Self {
        Spool {
            file: None,
            len: 0,
            of: PhantomData,
        }
    }
}

impl<T> Clone for Spool<T> {
    fn clone(&self) -> Self {
        Spool {
            file: self.file.clone(),
            len: self.len,
            of: PhantomData,
        }
    }
}

impl<T: Serialize + DeserializeOwned> Spool<T> {
    /// Appends `item`.
    pub fn push(&mut self, item: &T) -> io::Result<()> {
        let file = match &self.file {
            Some(file) => file,
            None => self
                .file
                .insert(Arc::new(Mutex::new(BufWriter::new(tempfile::tempfile()?)))),
        };
        let mut out = file.lock().unwrap_or_else(|e| e.into_inner());
        serde_json::to_writer(&mut *out, item)?;
        out.write_all(b"\n")?;
        self.len += 1;
        Ok(())
    }

    /// Entries pushed so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// True when nothing was pushed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Calls `each` with every entry, in order.
    pub fn for_each(&self, mut each: impl FnMut(T) -> io::Result<()>) -> io::Result<()> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        let mut out = file.lock().unwrap_or_else(|e| e.into_inner());
        out.flush()?;
        let mut reader = BufReader::new(out.get_ref().try_clone()?);
        reader.seek(SeekFrom::Start(0))?;
        let mut line = String::new();
        let read = (|| {
            while reader.read_line(&mut line)? > 0 {
                each(serde_json::from_str(&line)?)?;
                line.clear();
            }
            Ok(())
        })();
        // The clone shares the offset: later pushes go to the end.
        out.get_mut().seek(SeekFrom::End(0))?;
        read
    }
}

impl<T: Serialize + DeserializeOwned> Serialize for Spool<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len as usize))?;
        let mut failed = None;
        let read = self.for_each(|item| {
            seq.serialize_element(&item).map_err(|e| {
                let shown = e.to_string();
                failed = Some(e);
                io::Error::other(shown)
            })
        });
        if let Some(e) = failed {
            return Err(e);
        }
        read.map_err(S::Error::custom)?;
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_come_back_in_order_and_serialise_as_a_list() {
        let mut spool: Spool<(String, u64)> = Spool::default();
        assert_eq!(serde_json::to_string(&spool).unwrap(), "[]");
        for i in 0..1000u64 {
            spool.push(&(format!("file-{i}.csv"), i)).unwrap();
        }
        let shared = spool.clone();
        let text = serde_json::to_string(&shared).unwrap();
        let back: Vec<(String, u64)> = serde_json::from_str(&text).unwrap();
        assert_eq!(back.len(), 1000);
        assert_eq!(back[999], ("file-999.csv".to_string(), 999));
        // Pushes after a read go to the end, not over the start.
        spool.push(&("last".into(), 0)).unwrap();
        let mut n = 0;
        spool
            .for_each(|_| {
                n += 1;
                Ok(())
            })
            .unwrap();
        assert_eq!(n, 1001);
    }
}
