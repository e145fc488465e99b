@echo off
chcp 65001 >nul
rem doithoai: cai dat tren Windows 10/11. Nhan dup chuot de chay.
setlocal
cd /d "%~dp0"
echo ============================================================
echo  CÀI ĐẶT DOITHOAI
echo ============================================================
echo.

rem --- 1. Tim Python 3.10 tro len qua trinh khoi chay "py" ---
where py >nul 2>nul
if errorlevel 1 goto :khong_co_python
py -3 -c "import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)" >nul 2>nul
if errorlevel 1 goto :python_cu
for /f "tokens=2" %%V in ('py -3 --version') do set "PYVER=%%V"
echo Đã tìm thấy Python %PYVER%.

rem --- 2. Tao moi truong rieng .venv ---
if exist ".venv\Scripts\python.exe" goto :cai_goi
echo Đang tạo môi trường riêng .venv cho doithoai...
py -3 -m venv .venv
if errorlevel 1 goto :loi_venv

rem --- 3. Cai doithoai vao .venv ---
:cai_goi
echo Đang cài doithoai và các thư viện cần thiết. Cần mạng Internet, mất vài phút...
".venv\Scripts\python.exe" -m pip install --disable-pip-version-check -q -e .
if errorlevel 1 goto :loi_cai
if not exist ".venv\Scripts\doithoai.exe" goto :loi_cai
echo.
echo ĐÃ CÀI XONG.
echo Bước tiếp theo: nhấn đúp vào tệp chay.bat để bắt đầu theo dõi sổ.
echo Muốn doithoai tự chạy mỗi khi đăng nhập Windows: xem mục "Tự chạy khi bật máy" trong README.md.
echo.
pause
exit /b 0

:khong_co_python
echo Máy này chưa có Python, hoặc chưa có trình khởi chạy "py" của Python.
goto :huong_dan_python

:python_cu
echo Python trên máy này cũ hơn 3.10. doithoai cần Python 3.10 trở lên.
goto :huong_dan_python

:huong_dan_python
echo.
echo Cách cài Python:
echo   1. Mở trang https://www.python.org/downloads/windows/
echo   2. Tải bản "Windows installer 64-bit" của Python 3.12 hoặc mới hơn.
echo   3. Chạy tệp vừa tải; ở màn hình đầu tiên đánh dấu "Add python.exe to PATH"
echo      rồi bấm "Install Now".
echo   4. Cài xong, nhấn đúp lại tệp cai-dat.bat này.
echo Nếu máy không được tự cài phần mềm, nhờ cán bộ phụ trách công nghệ thông tin cài giúp.
echo.
pause
exit /b 1

:loi_venv
echo.
echo Không tạo được môi trường .venv trong thư mục %CD%.
echo Hãy kiểm tra thư mục này có cho ghi không, rồi nhấn đúp lại cai-dat.bat.
echo.
pause
exit /b 1

:loi_cai
echo.
echo Cài doithoai chưa thành công. Thường do máy chưa có mạng Internet.
echo Kiểm tra mạng rồi nhấn đúp lại cai-dat.bat. Nếu vẫn lỗi, chụp màn hình này gửi người hỗ trợ.
echo.
pause
exit /b 1
