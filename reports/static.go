package reports

import (
	"io/fs"
	"net/http"
)

// FilesOnly serves the files of fsys and answers 404 for its directories:
// http.FileServer (and gin's Static and StaticFS over http.Dir or http.FS)
// would otherwise list a directory's contents, and gin.Dir(root, false)
// still answers 200 with an empty listing.
func FilesOnly(fsys http.FileSystem) http.FileSystem { return filesOnly{fsys} }

type filesOnly struct{ fs http.FileSystem }

func (f filesOnly) Open(name string) (http.File, error) {
	file, err := f.fs.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := file.Stat()
	if err != nil || st.IsDir() {
		file.Close()
		return nil, fs.ErrNotExist
	}
	return file, nil
}
